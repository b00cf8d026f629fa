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
        var rest = upstreams.Upstreams[mode];
        var configured = mode switch
        {
            TradingMode.Live => options.Value.LiveMarketUrl,
            TradingMode.Testnet => options.Value.TestnetMarketUrl,
            _ => null,
        };
        var template = configured is { Length: > 0 } ? configured
            : mode == TradingMode.Paper || rest.IsLoopback ? new UriBuilder(rest) { Scheme = rest.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/{route}/stream" }.Uri.ToString().Replace("%7Broute%7D", "{route}", StringComparison.Ordinal)
            : mode == TradingMode.Live ? LiveMarketDefault : TestnetMarketDefault;
        return new Uri(template.Replace("{route}", route == MarketStreamRoute.Public ? "public" : "market", StringComparison.Ordinal));
    }

    public Uri UserData(TradingMode mode, string listenKey)
    {
        var rest = upstreams.Upstreams[mode];
        var configured = mode switch
        {
            TradingMode.Live => options.Value.LiveUserDataUrl,
            TradingMode.Testnet => options.Value.TestnetUserDataUrl,
            _ => null,
        };
        var prefix = configured is { Length: > 0 } ? configured
            : mode == TradingMode.Paper || rest.IsLoopback ? new UriBuilder(rest) { Scheme = rest.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/ws/" }.Uri.ToString()
            : mode == TradingMode.Live ? LiveDefault : TestnetDefault;
        return new Uri(prefix.TrimEnd('/') + "/" + Uri.EscapeDataString(listenKey));
    }
}
