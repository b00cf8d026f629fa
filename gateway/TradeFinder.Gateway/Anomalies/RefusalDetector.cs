using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Watches every local refusal per bot over a sliding minute: many scope, validation or ownership refusals are a bot
/// probing what it may do (a warning; three times the threshold: critical, so the bot is quarantined); many rate-limit
/// refusals are a bot fighting its budget (a warning).
/// </summary>
internal sealed class RefusalDetector(GatewayMetrics metrics, AnomalyMonitor monitor, AnomalySettings settings, TimeProvider time) : IHostedService
{
    private readonly SlidingCounts<(string Bot, bool Probing)> _refusals = new(TimeSpan.FromMinutes(1));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.DenialRecorded += Observe;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        metrics.DenialRecorded -= Observe;
        return Task.CompletedTask;
    }

    private void Observe(string bot, string reason)
    {
        bool probing;
        switch (reason)
        {
            case "scope" or "validation" or "ownership":
                probing = true;
                break;
            case "budget" or "rate" or "backoff":
                probing = false;
                break;
            default:
                return;
        }

        var count = _refusals.Add((bot, probing), time.GetUtcNow());
        var o = settings.Current;
        if (probing && count >= 3 * o.ProbingRefusalsPerMinute)
        {
            monitor.Report(AnomalyMonitor.Probing, AnomalySeverity.Critical, bot, null, $"{count} scope/validation/ownership refusals in the last minute");
        }
        else if (probing && count >= o.ProbingRefusalsPerMinute)
        {
            monitor.Report(AnomalyMonitor.Probing, AnomalySeverity.Warning, bot, null, $"{count} scope/validation/ownership refusals in the last minute");
        }
        else if (!probing && count >= o.RateLimitedPerMinute)
        {
            monitor.Report(AnomalyMonitor.RateLimited, AnomalySeverity.Warning, bot, null, $"{count} requests refused for rate limits in the last minute");
        }
    }
}
