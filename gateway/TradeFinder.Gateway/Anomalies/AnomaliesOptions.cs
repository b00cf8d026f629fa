using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>Anomaly detection and alerting (<c>Gateway:Anomalies</c>).</summary>
internal sealed class AnomaliesOptions
{
    public const string Section = "Gateway:Anomalies";

    /// <summary>Scope, validation and ownership refusals of one bot in a minute that count as probing (a warning; three times as many: critical).</summary>
    [Range(1, 100_000)]
    public int ProbingRefusalsPerMinute { get; set; } = 20;

    /// <summary>Rate-limit refusals (budget, local rate, back-off) of one bot in a minute worth a warning.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitedPerMinute { get; set; } = 100;

    /// <summary>Requests refused at authentication (unknown, suspended or revoked certificate) from one source in a minute worth a warning.</summary>
    [Range(1, 1_000_000)]
    public int UnknownCertificatesPerMinute { get; set; } = 10;

    /// <summary>A bot sending this many times its usual request rate (its own moving baseline, per 10 s) is reported <c>request_rate</c>.</summary>
    [Range(2, 1000)]
    public int RequestRateFactor { get; set; } = 10;

    /// <summary>Below this many requests a minute no rate counts as a spike (a bot that usually idles may still burst a little).</summary>
    [Range(1, 10_000_000)]
    public int RequestRateMinimumPerMinute { get; set; } = 600;

    /// <summary>
    /// Margin ratio (maintenance margin ÷ margin balance: the account's cross positions together, each isolated position
    /// alone; the exchange liquidates at 1) at which a bot holding part of the position is warned <c>near_liquidation</c>.
    /// </summary>
    [Range(0.01, 0.99)]
    public decimal MarginRatioWarning { get; set; } = 0.7m;

    /// <summary>The margin ratio at which <c>near_liquidation</c> is critical (the bot is quarantined, so it can only reduce).</summary>
    [Range(0.01, 0.99)]
    public decimal MarginRatioCritical { get; set; } = 0.85m;

    /// <summary>How often the position watch reads the margin of accounts where bots hold positions (one account read, weight 5, each); 0 turns it off.</summary>
    [Range(0, 3600)]
    public int PositionCheckSeconds { get; set; } = 10;

    /// <summary>
    /// Per bot, off unless set: when a position the bot holds part of reaches <see cref="PullBackOptions.MarginRatio"/>, the
    /// gateway itself sends a reduce-only MARKET order for <see cref="PullBackOptions.Fraction"/> of the bot's share.
    /// </summary>
    public Dictionary<string, PullBackOptions> PullBack { get; set; } = new(StringComparer.Ordinal);

    /// <summary>One incident, one alert: repeats of the same kind for the same bot and account within this time are folded in.</summary>
    [Range(0, 86_400)]
    public int CooldownSeconds { get; set; } = 600;

    /// <summary>What a critical anomaly of a bot does to it: <c>reducing</c> (default), <c>halted</c> or <c>none</c>; ops undo it with <c>resume</c>.</summary>
    [RegularExpression("^(reducing|halted|none)$")]
    public string Quarantine { get; set; } = "reducing";

    /// <summary>Per bot, what a critical anomaly does to it instead of <see cref="Quarantine"/> (<c>BotQuarantine:NAME=halted</c>).</summary>
    public Dictionary<string, string> BotQuarantine { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Halt every bot when orders appear on an account that no bot placed through the gateway (the key is used elsewhere).</summary>
    public bool HaltOnForeignActivity { get; set; } = true;

    /// <summary>Dead-man's switch: per bot, the longest silence in seconds before it is reported (<c>HeartbeatSeconds:NAME=60</c>).</summary>
    public Dictionary<string, int> HeartbeatSeconds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fraction of the exchange's recording thresholds (10,000 / 5,000 orders in 10 minutes) at which the quantitative-rules warning starts.</summary>
    [Range(0.01, 1.0)]
    public double QuantitativeWarnFraction { get; set; } = 0.5;

    /// <summary>Scales those order counts (1: the exchange's; lower for a lower VIP tier or a test).</summary>
    [Range(0.0001, 10.0)]
    public double QuantitativeOrderCountScale { get; set; } = 1.0;

    /// <summary>Where alerts are posted (https; http only on loopback). Unset: alerts only in the audit trail, logs and metrics.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The least severity posted to the webhook (<c>info</c>, <c>warning</c>, <c>critical</c>); lower ones stay in the audit trail, metrics and the live page.</summary>
    [RegularExpression("^(info|warning|critical)$")]
    public string AlertMinimumSeverity { get; set; } = "warning";

    /// <summary>
    /// The webhook's body: <c>json</c> (the anomaly as is), <c>slack</c> (a Slack-compatible <c>text</c>) or <c>pagerduty</c>
    /// (PagerDuty Events API v2: post to <c>https://events.pagerduty.com/v2/enqueue</c> with <see cref="PagerDutyRoutingKey"/>).
    /// </summary>
    [RegularExpression("^(json|slack|pagerduty)$")]
    public string WebhookFormat { get; set; } = "json";

    /// <summary>The PagerDuty integration (routing) key, for <c>pagerduty</c>.</summary>
    public string? PagerDutyRoutingKey { get; set; }
}

/// <summary>A bot's pull-back from liquidation (<c>Gateway:Anomalies:PullBack:NAME</c>).</summary>
internal sealed class PullBackOptions
{
    /// <summary>The margin ratio that triggers it.</summary>
    [Range(0.01, 0.99)]
    public decimal MarginRatio { get; set; } = 0.8m;

    /// <summary>The part of the bot's share of the position closed each time.</summary>
    [Range(0.01, 1.0)]
    public decimal Fraction { get; set; } = 0.25m;

    /// <summary>At least this long between two pull-backs of the same position (the margin must have time to show the first).</summary>
    [Range(1, 86_400)]
    public int CooldownSeconds { get; set; } = 60;
}
