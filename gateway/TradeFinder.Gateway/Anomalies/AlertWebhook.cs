using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Posts alerts to <see cref="AnomaliesOptions.WebhookUrl"/> in the background (generic JSON or a Slack-compatible
/// <c>text</c>), a few tries each; the gateway's own outbound client (no redirects, no proxy unless configured).
/// </summary>
internal sealed class AlertWebhook(HttpMessageHandler handler, IOptionsMonitor<AnomaliesOptions> options, Diagnostics.GatewayMetrics metrics, TimeProvider time, ILogger<AlertWebhook> logger)
    : BackgroundService
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];
    private readonly Channel<DetectedAnomaly> _alerts = Channel.CreateBounded<DetectedAnomaly>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Alerts not sent because an exchange breaker was open.</summary>
    public int Inhibited { get; private set; }

    public void Offer(DetectedAnomaly anomaly)
    {
        var o = options.CurrentValue;
        if (o.WebhookUrl is not { Length: > 0 } || anomaly.Severity < Enum.Parse<AnomalySeverity>(o.AlertMinimumSeverity, ignoreCase: true))
        {
            return;
        }

        // One root cause, one alert: while an exchange breaker is open, the symptoms it causes (bots refused, gone
        // quiet, fighting their budgets) are not alerted; critical anomalies always are.
        if (anomaly.Severity < AnomalySeverity.Critical && metrics.BreakerStates.Values.Any(state => state == 2))
        {
            Inhibited++;
            return;
        }

        _alerts.Writer.TryWrite(anomaly);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SendAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or a start that failed (a port in use): not a fault of this service. Reported as one, it put an
            // error and a fatal line about the webhook ahead of the start's real cause.
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(10) };
        await foreach (var anomaly in _alerts.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var o = options.CurrentValue;
            if (o.WebhookUrl is not { Length: > 0 } url)
            {
                continue;
            }

            var summary = $"[{anomaly.Severity.ToString().ToUpperInvariant()}] {anomaly.Kind} bot={anomaly.Bot ?? "-"} account={anomaly.Account ?? "-"}: {anomaly.Evidence}"
                + (anomaly.Action is null ? "" : $" — {anomaly.Action}");
            var body = o.WebhookFormat switch
            {
                "slack" => new JsonObject { ["text"] = summary },
                "pagerduty" => new JsonObject
                {
                    ["routing_key"] = o.PagerDutyRoutingKey,
                    ["event_action"] = "trigger",
                    ["dedup_key"] = $"tradefinder:{anomaly.Kind}:{anomaly.Bot}:{anomaly.Account}",
                    ["payload"] = new JsonObject
                    {
                        ["summary"] = summary.Length > 1024 ? summary[..1024] : summary,
                        ["source"] = "tradefinder-gateway",
                        ["severity"] = anomaly.Severity.ToString().ToLowerInvariant(),
                        ["timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(anomaly.AtMs).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["custom_details"] = new JsonObject { ["kind"] = anomaly.Kind, ["bot"] = anomaly.Bot, ["account"] = anomaly.Account, ["evidence"] = anomaly.Evidence, ["action"] = anomaly.Action },
                    },
                },
                _ => new JsonObject
                {
                    ["kind"] = anomaly.Kind, ["severity"] = anomaly.Severity.ToString().ToLowerInvariant(), ["bot"] = anomaly.Bot, ["account"] = anomaly.Account,
                    ["evidence"] = anomaly.Evidence, ["action"] = anomaly.Action, ["at"] = anomaly.AtMs,
                },
            };
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(new Uri(url), content, stoppingToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    AnomaliesLog.WebhookFailed(logger, "HTTP " + (int)response.StatusCode);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    AnomaliesLog.WebhookFailed(logger, ex.Message);
                }

                if (attempt >= Retries.Length)
                {
                    break;
                }

                await Task.Delay(Retries[attempt], time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
