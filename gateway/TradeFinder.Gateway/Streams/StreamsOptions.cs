using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// Where each mode's user-data stream is (<c>Gateway:Streams</c>): the exchange has moved and split its stream hosts
/// before, so the URLs are settings. Each is the prefix the listen key is appended to. Unset: the documented
/// defaults (Binance USDⓈ-M Futures "User Data Streams"), and for the simulator, or an upstream on loopback, the
/// same host's <c>/ws/</c>.
/// </summary>
internal sealed class StreamsOptions
{
    public const string Section = "Gateway:Streams";

    public string? LiveUserDataUrl { get; set; }

    public string? TestnetUserDataUrl { get; set; }

    /// <summary>Events waiting for one bot connection; a bot that falls this far behind is disconnected, alone.</summary>
    [Range(16, 1_000_000)]
    public int MaxQueuedEventsPerConnection { get; set; } = 10_000;

    /// <summary>User-data connections one bot may hold open.</summary>
    [Range(1, 100)]
    public int MaxConnectionsPerBot { get; set; } = 5;
}
