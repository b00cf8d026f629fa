using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Resilience;

/// <summary>Circuit breakers and timeouts per route class (<c>Gateway:Resilience</c>).</summary>
internal sealed class ResilienceOptions
{
    public const string Section = "Gateway:Resilience";

    /// <summary>Share of failed calls (5xx, timeouts, connection errors) in the sampling window that opens a breaker.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 8;

    [Range(1, 600)]
    public int SamplingSeconds { get; set; } = 10;

    /// <summary>How long an open breaker answers locally before letting a probe through (half-open).</summary>
    [Range(1, 600)]
    public int BreakSeconds { get; set; } = 5;

    [Range(1, 120)]
    public int MarketDataTimeoutSeconds { get; set; } = 5;

    [Range(1, 120)]
    public int AccountTimeoutSeconds { get; set; } = 5;

    /// <summary>An order that takes longer is treated as of unknown outcome and looked up, never re-sent.</summary>
    [Range(1, 120)]
    public int TradingTimeoutSeconds { get; set; } = 10;
}
