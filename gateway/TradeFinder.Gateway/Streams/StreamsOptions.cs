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

    /// <summary>
    /// Age at which the upstream user-data connection is replaced make-before-break, before the exchange cuts it at 24 hours.
    /// </summary>
    [Range(5, 86_000)]
    public int UserStreamRotateAfterSeconds { get; set; } = 23 * 3600;

    /// <summary>
    /// Start the user-data stream of every account a registered bot trades on at start (not only when a bot asks for a
    /// listen key), so activity on the account that no bot placed through the gateway is seen at once.
    /// </summary>
    public bool WatchAccounts { get; set; } = true;

    /// <summary>User-data connections one bot may hold open.</summary>
    [Range(1, 100)]
    public int MaxConnectionsPerBot { get; set; } = 5;

    /// <summary>
    /// The combined-stream URL of live market streams; <c>{route}</c> becomes <c>public</c> (book tickers, depth) or
    /// <c>market</c> (the rest), the exchange's routed endpoints. Unset: <see cref="StreamEndpoints.LiveMarketDefault"/>.
    /// </summary>
    public string? LiveMarketUrl { get; set; }

    /// <summary>The same for testnet. Unset: <see cref="StreamEndpoints.TestnetMarketDefault"/>.</summary>
    public string? TestnetMarketUrl { get; set; }

    /// <summary>Streams packed on one upstream market connection (the exchange allows 1024).</summary>
    [Range(1, 1024)]
    public int MaxStreamsPerUpstreamConnection { get; set; } = 200;

    /// <summary>SUBSCRIBE/UNSUBSCRIBE messages per second on one upstream connection (the exchange allows 10).</summary>
    [Range(1, 10)]
    public int UpstreamMessagesPerSecond { get; set; } = 5;

    /// <summary>Upstream market connections opened per minute, per mode (the exchange allows 300 per 5 minutes per IP).</summary>
    [Range(1, 60)]
    public int UpstreamConnectsPerMinute { get; set; } = 30;

    /// <summary>Market stream connections one bot may hold open.</summary>
    [Range(1, 1000)]
    public int MaxMarketConnectionsPerBot { get; set; } = 10;

    /// <summary>Market streams one bot may hold across its connections.</summary>
    [Range(1, 10_000)]
    public int MaxMarketStreamsPerBot { get; set; } = 200;

    /// <summary>Messages a bot may send per second on one connection before it is cut off (the exchange's rule is 10).</summary>
    [Range(1, 100)]
    public int BotMessagesPerSecond { get; set; } = 10;
}
