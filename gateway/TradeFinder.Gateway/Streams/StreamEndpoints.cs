using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Contracts.Streams;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Streams;

/// <summary>Each mode's upstream stream URLs: the user-data prefix and the routed market-stream endpoints.</summary>
internal sealed class StreamEndpoints(UpstreamDirectory upstreams, IOptions<StreamsOptions> options)
{
    public const string LiveDefault = "wss://fstream.binance.com/private/ws/";
    public const string TestnetDefault = "wss://fstream.binancefuture.com/ws/";

    public const string LiveMarketDefault = "wss://fstream.binance.com/{route}/stream";
    public const string TestnetMarketDefault = "wss://fstream.binancefuture.com/stream";

    /// <summary>The combined-stream URL of a mode's market streams on the route that serves <paramref name="route"/>.</summary>
    public Uri Market(TradingMode mode, MarketStreamRoute route)
    {
        var template = Prefix(mode, options.Value.LiveMarketUrl, options.Value.TestnetMarketUrl, "/{route}/stream", LiveMarketDefault, TestnetMarketDefault)
            .Replace("%7Broute%7D", "{route}", StringComparison.Ordinal);
        return new Uri(template.Replace("{route}", route == MarketStreamRoute.Public ? "public" : "market", StringComparison.Ordinal));
    }

    public Uri UserData(TradingMode mode, string listenKey)
    {
        var prefix = Prefix(mode, options.Value.LiveUserDataUrl, options.Value.TestnetUserDataUrl, "/ws/", LiveDefault, TestnetDefault);
        return new Uri(prefix.TrimEnd('/') + "/" + Uri.EscapeDataString(listenKey));
    }

    /// <summary>A mode's configured URL; unset, the documented default, or for the simulator (or an upstream on loopback) <paramref name="localPath"/> on its host.</summary>
    private string Prefix(TradingMode mode, string? live, string? testnet, string localPath, string liveDefault, string testnetDefault)
    {
        var rest = upstreams.Upstreams[mode];
        var configured = mode switch
        {
            TradingMode.Live => live,
            TradingMode.Testnet => testnet,
            _ => null,
        };
        return configured is { Length: > 0 } ? configured
            : mode == TradingMode.Paper || rest.IsLoopback ? new UriBuilder(rest) { Scheme = rest.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = localPath }.Uri.ToString()
            : mode == TradingMode.Live ? liveDefault : testnetDefault;
    }
}
