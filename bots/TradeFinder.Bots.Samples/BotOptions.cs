using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Bots.Samples;

/// <summary>What a sample bot trades (<c>Bot</c> section). Which exchange (paper, testnet, live) is the gateway's decision for this bot's certificate.</summary>
internal sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary><c>trend</c> (moving-average crossover with a protective stop) or <c>grid</c> (post-only grid in hedge mode).</summary>
    [RegularExpression("^(trend|grid)$")]
    public string Strategy { get; set; } = "trend";

    [Required]
    [RegularExpression("^[A-Z0-9]{5,20}$")]
    public string Symbol { get; set; } = "BTCUSDT";

    /// <summary>Order size in the base asset.</summary>
    [Range(typeof(decimal), "0.000001", "1000000")]
    public decimal Quantity { get; set; } = 0.01m;

    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 5;

    /// <summary>Trend: prices in the short average.</summary>
    [Range(1, 500)]
    public int FastPeriod { get; set; } = 5;

    /// <summary>Trend: prices in the long average.</summary>
    [Range(2, 1000)]
    public int SlowPeriod { get; set; } = 20;

    /// <summary>Trend: protective stop distance below the entry, percent.</summary>
    [Range(0.1, 50)]
    public decimal StopPercent { get; set; } = 2m;

    /// <summary>Trend: isolated leverage.</summary>
    [Range(1, 125)]
    public int Leverage { get; set; } = 3;

    /// <summary>Grid: orders per side.</summary>
    [Range(1, 20)]
    public int Levels { get; set; } = 3;

    /// <summary>Grid: distance between levels, percent of the price.</summary>
    [Range(0.01, 20)]
    public decimal SpacingPercent { get; set; } = 0.2m;
}
