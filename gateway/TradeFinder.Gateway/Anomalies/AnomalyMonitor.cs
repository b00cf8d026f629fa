using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Scopes;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Where detectors report. One incident is one anomaly: repeats of the same kind, severity, bot and account within the
/// cool-down are folded into it (counted, not re-alerted). Each new anomaly is counted in metrics, logged, written to the
/// audit trail, posted to the alert webhook, and, when critical, acted on: the bot is quarantined (REDUCING by default,
/// reversible with <c>resume</c>), or for foreign activity on the account every bot is halted.
/// </summary>
internal sealed class AnomalyMonitor(
    AlertWebhook webhook, KillSwitch killSwitch, AuditTrail audit, GatewayMetrics metrics, IOptionsMonitor<AnomaliesOptions> options, AnomalySettings settings, TimeProvider time,
    ILogger<AnomalyMonitor> logger, Cluster.ClusterLeadership? leadership = null)
{
    private const int Kept = 200;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, AnomalySeverity, string?, string?), DetectedAnomaly> _incidents = [];
    private readonly ConcurrentQueue<DetectedAnomaly> _recent = new();
    private readonly ConcurrentDictionary<DetectedAnomaly, Task> _responding = new();

    public const string ForeignActivity = "foreign_activity";
    public const string Probing = "probing";
    public const string RateLimited = "rate_limited";
    public const string BalanceChange = "balance_change";

    /// <summary>The latest anomalies, newest last.</summary>
    public IReadOnlyList<DetectedAnomaly> Recent => [.. _recent];

    /// <summary>Settles when every response started so far is done (tests, shutdown).</summary>
    public Task Responses => Task.WhenAll(_responding.Values);

    /// <summary>Reports an anomaly; returns at once (the response runs in the background).</summary>
    public void Report(string kind, AnomalySeverity severity, string? bot, string? account, string evidence)
    {
        if (bot is null && account is not null && !(leadership?.IsLeader ?? true))
        {
            // Every replica reads the account's user-data stream; its account-wide findings are the leader's to report.
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var cooldown = settings.Current.CooldownSeconds * 1000L;
        DetectedAnomaly anomaly;
        lock (_gate)
        {
            var key = (kind, severity, bot, account);
            if (_incidents.TryGetValue(key, out var open) && now - open.AtMs < cooldown)
            {
                open.Repeats++;
                return;
            }

            anomaly = new DetectedAnomaly(kind, severity, bot, account, evidence, now) { Action = PlannedAction(kind, severity, bot) };
            _incidents[key] = anomaly;
        }

        _recent.Enqueue(anomaly);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }

        metrics.AnomalyDetected(kind, severity.ToString().ToLowerInvariant());
        AnomaliesLog.Detected(logger, kind, severity.ToString().ToLowerInvariant(), bot, account, evidence, anomaly.Action);
        var responding = RespondAsync(anomaly);
        _responding[anomaly] = responding;
        _ = responding.ContinueWith(_ => _responding.TryRemove(anomaly, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private string? PlannedAction(string kind, AnomalySeverity severity, string? bot)
    {
        var o = options.CurrentValue;
        var quarantine = bot is null ? settings.Current.Quarantine : settings.Current.QuarantineOf(bot);
        if (severity != AnomalySeverity.Critical)
        {
            return null;
        }

        if (kind == ForeignActivity)
        {
            return o.HaltOnForeignActivity ? "every bot HALTED; revoke the exchange key (OPERATIONS: key compromise)" : null;
        }

        return bot is not null && quarantine != "none" ? $"bot {bot} quarantined: {quarantine.ToUpperInvariant()} (undo: `resume --bot {bot}`)" : null;
    }

    private async Task RespondAsync(DetectedAnomaly anomaly)
    {
        try
        {
            if (anomaly.Action is not null)
            {
                var actor = "anomaly:" + anomaly.Kind;
                if (anomaly.Kind == ForeignActivity)
                {
                    await killSwitch.SetAsync(null, TradingState.Halted, cancelOpen: false, actor, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await killSwitch.SetAsync(anomaly.Bot, anomaly.Action.Contains("HALTED", StringComparison.Ordinal) ? TradingState.Halted : TradingState.Reducing, cancelOpen: false, actor, CancellationToken.None)
                        .ConfigureAwait(false);
                }
            }

            await audit.WriteDurableAsync(new AuditRecord
            {
                OccurredAtMs = anomaly.AtMs,
                Type = AuditEventTypes.Anomaly,
                Bot = anomaly.Bot,
                Endpoint = anomaly.Kind,
                Outcome = anomaly.Severity.ToString().ToLowerInvariant(),
                Details = AuditRecord.SerializeDetails(new Dictionary<string, object?> { ["evidence"] = anomaly.Evidence, ["account"] = anomaly.Account, ["action"] = anomaly.Action }),
            }).ConfigureAwait(false);
            webhook.Offer(anomaly);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            AnomaliesLog.WebhookFailed(logger, "response failed: " + ex.Message);
        }
    }
}
