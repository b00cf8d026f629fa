using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Streams;

/// <summary>The user-data stream URL prefix of each mode's upstream.</summary>
internal sealed class StreamEndpoints(UpstreamDirectory upstreams, IOptions<StreamsOptions> options)
{
    public const string LiveDefault = "wss://fstream.binance.com/private/ws/";
    public const string TestnetDefault = "wss://fstream.binancefuture.com/ws/";

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
