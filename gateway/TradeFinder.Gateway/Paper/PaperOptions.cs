using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Paper;

/// <summary>The hosted paper exchange (<c>Gateway:Paper*</c>).</summary>
internal sealed class PaperOptions
{
    public const string Section = "Gateway";

    /// <summary>Starting USDT balance of the paper account.</summary>
    [Range(0d, 1_000_000_000d)]
    public decimal PaperStartingBalance { get; set; } = 10_000m;

    /// <summary>Seed of the paper price process: the same seed gives the same market.</summary>
    public int PaperSeed { get; set; } = 42;

    /// <summary>Symbols whose paper prices replay a one-minute kline CSV (symbol → file path).</summary>
    public Dictionary<string, string> PaperReplays { get; set; } = [];

    /// <summary>The hosted paper exchange's request-weight limit per minute (the exchange's default is 2400).</summary>
    [Range(1, int.MaxValue)]
    public int PaperWeightPerMinute { get; set; } = 2400;

    /// <summary>The hosted paper exchange's order limit per 10 s (the exchange's default is 300).</summary>
    [Range(1, int.MaxValue)]
    public int PaperOrdersPer10Seconds { get; set; } = 300;

    /// <summary>The hosted paper exchange's order limit per minute (the exchange's default is 1200).</summary>
    [Range(1, int.MaxValue)]
    public int PaperOrdersPerMinute { get; set; } = 1200;

    /// <summary>Let the hosted paper exchange journal what it receives (tests prove what reached upstream).</summary>
    public bool PaperJournal { get; set; }
}
