using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>The detectors' thresholds now in force: from settings at start, changeable at run time through the admin API.</summary>
internal sealed record AnomalyThresholds(
    int ProbingRefusalsPerMinute, int RateLimitedPerMinute, int CooldownSeconds, string Quarantine, IReadOnlyDictionary<string, int> HeartbeatSeconds, int UnknownCertificatesPerMinute,
    int RequestRateFactor, int RequestRateMinimumPerMinute, decimal MarginRatioWarning, decimal MarginRatioCritical, IReadOnlyDictionary<string, string> BotQuarantine)
{
    /// <summary>What a critical anomaly does to <paramref name="bot"/>: its own setting, or the gateway's.</summary>
    public string QuarantineOf(string bot) => BotQuarantine.GetValueOrDefault(bot, Quarantine);
}

/// <summary>A change to the thresholds; unset fields stay as they are (a heartbeat of 0 removes the bot's).</summary>
internal sealed record AnomalyThresholdsChange(
    int? ProbingRefusalsPerMinute, int? RateLimitedPerMinute, int? CooldownSeconds, string? Quarantine, Dictionary<string, int>? HeartbeatSeconds, int? UnknownCertificatesPerMinute,
    int? RequestRateFactor = null, int? RequestRateMinimumPerMinute = null, decimal? MarginRatioWarning = null, decimal? MarginRatioCritical = null,
    Dictionary<string, string>? BotQuarantine = null);

/// <summary>Holds the thresholds; a change is validated as a whole and swapped in at once.</summary>
internal sealed class AnomalySettings(IOptions<AnomaliesOptions> options)
{
    private volatile AnomalyThresholds _current = new(
        options.Value.ProbingRefusalsPerMinute, options.Value.RateLimitedPerMinute, options.Value.CooldownSeconds, options.Value.Quarantine,
        new Dictionary<string, int>(options.Value.HeartbeatSeconds, StringComparer.Ordinal), options.Value.UnknownCertificatesPerMinute,
        options.Value.RequestRateFactor, options.Value.RequestRateMinimumPerMinute, options.Value.MarginRatioWarning, options.Value.MarginRatioCritical,
        new Dictionary<string, string>(options.Value.BotQuarantine, StringComparer.Ordinal));

    public AnomalyThresholds Current => _current;

    /// <summary>Applies <paramref name="change"/>; the reason it is refused, or null.</summary>
    public string? TryChange(AnomalyThresholdsChange change)
    {
        var now = _current;
        var heartbeats = new Dictionary<string, int>(now.HeartbeatSeconds, StringComparer.Ordinal);
        foreach (var (bot, seconds) in change.HeartbeatSeconds ?? [])
        {
            if (seconds is < 0 or > 86_400)
            {
                return $"heartbeat of '{bot}' must be 1–86400 seconds, or 0 to remove it";
            }

            if (seconds == 0)
            {
                heartbeats.Remove(bot);
            }
            else
            {
                heartbeats[bot] = seconds;
            }
        }

        var quarantines = new Dictionary<string, string>(now.BotQuarantine, StringComparer.Ordinal);
        foreach (var (bot, quarantine) in change.BotQuarantine ?? [])
        {
            if (quarantine is not ("reducing" or "halted" or "none" or ""))
            {
                return $"the quarantine of '{bot}' must be reducing, halted or none, or \"\" to use the gateway's";
            }

            if (quarantine.Length == 0)
            {
                quarantines.Remove(bot);
            }
            else
            {
                quarantines[bot] = quarantine;
            }
        }

        var next = new AnomalyThresholds(
            change.ProbingRefusalsPerMinute ?? now.ProbingRefusalsPerMinute, change.RateLimitedPerMinute ?? now.RateLimitedPerMinute,
            change.CooldownSeconds ?? now.CooldownSeconds, change.Quarantine ?? now.Quarantine, heartbeats, change.UnknownCertificatesPerMinute ?? now.UnknownCertificatesPerMinute,
            change.RequestRateFactor ?? now.RequestRateFactor, change.RequestRateMinimumPerMinute ?? now.RequestRateMinimumPerMinute,
            change.MarginRatioWarning ?? now.MarginRatioWarning, change.MarginRatioCritical ?? now.MarginRatioCritical, quarantines);
        if (next.ProbingRefusalsPerMinute is < 1 or > 100_000 || next.RateLimitedPerMinute is < 1 or > 1_000_000 || next.CooldownSeconds is < 0 or > 86_400
            || next.UnknownCertificatesPerMinute is < 1 or > 1_000_000)
        {
            return "probingRefusalsPerMinute must be 1–100000, rateLimitedPerMinute and unknownCertificatesPerMinute 1–1000000, cooldownSeconds 0–86400";
        }

        if (next.RequestRateFactor is < 2 or > 1000 || next.RequestRateMinimumPerMinute is < 1 or > 10_000_000)
        {
            return "requestRateFactor must be 2–1000, requestRateMinimumPerMinute 1–10000000";
        }

        if (next.MarginRatioWarning is <= 0 or >= 1 || next.MarginRatioCritical is <= 0 or >= 1 || next.MarginRatioWarning > next.MarginRatioCritical)
        {
            return "marginRatioWarning and marginRatioCritical must be between 0 and 1 (exclusive), the warning not above the critical level";
        }

        if (next.Quarantine is not ("reducing" or "halted" or "none"))
        {
            return "quarantine must be reducing, halted or none";
        }

        _current = next;
        return null;
    }
}
