using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.MarketData;

/// <summary>The shared market-data fetches (<c>Gateway:MarketData</c>).</summary>
internal sealed class MarketDataOptions
{
    public const string Section = "Gateway:MarketData";

    /// <summary>How long one upstream fetch that many bots may be waiting on may take, in seconds.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}
