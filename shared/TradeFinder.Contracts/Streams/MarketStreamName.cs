using System.Collections.Frozen;

namespace TradeFinder.Contracts.Streams;

/// <summary>Which routed endpoint serves a market stream (Binance USDⓈ-M Futures "WebSocket Market Streams", routing notice).</summary>
public enum MarketStreamRoute
{
    /// <summary><c>/public</c>: book tickers and depth.</summary>
    Public,

    /// <summary><c>/market</c>: trades, mark price, klines, tickers, liquidations.</summary>
    Market,
}

/// <summary>
/// A parsed market stream name, e.g. <c>btcusdt@aggTrade</c>, <c>btcusdt@kline_1m</c>, <c>btcusdt@depth10@100ms</c> or
/// <c>!markPrice@arr@1s</c>, with the grammar of Binance USDⓈ-M Futures "WebSocket Market Streams". Symbols are
/// lowercase, as the exchange requires.
/// </summary>
/// <param name="Name">The stream name as subscribed.</param>
/// <param name="Symbol">The symbol in upper case (as REST writes it), or null for an all-market stream (<c>!…</c>).</param>
/// <param name="Kind">The stream kind: aggTrade, markPrice, kline, miniTicker, ticker, bookTicker, forceOrder, depth.</param>
/// <param name="Interval">The kline interval, or null.</param>
/// <param name="Levels">The partial book depth (5, 10, 20), or 0 for the diff depth stream.</param>
/// <param name="Speed">The update speed suffix (<c>1s</c>, <c>100ms</c>, <c>500ms</c>), or null for the default.</param>
public sealed record MarketStreamName(string Name, string? Symbol, string Kind, string? Interval, int Levels, string? Speed)
{
    /// <summary>Kline intervals the exchange serves.</summary>
    public static readonly FrozenSet<string> KlineIntervals = FrozenSet.ToFrozenSet(
        ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> AllMarket = FrozenSet.ToFrozenSet(
        ["!markPrice@arr", "!markPrice@arr@1s", "!miniTicker@arr", "!ticker@arr", "!bookTicker", "!forceOrder@arr"], StringComparer.Ordinal);

    /// <summary>The routed endpoint this stream is served on.</summary>
    public MarketStreamRoute Route => Kind is "bookTicker" or "depth" ? MarketStreamRoute.Public : MarketStreamRoute.Market;

    /// <summary>Parses a stream name; null when it is not one the exchange serves.</summary>
    /// <param name="name">The name, e.g. <c>btcusdt@bookTicker</c>.</param>
    /// <returns>The parsed name, or null.</returns>
    public static MarketStreamName? Parse(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64)
        {
            return null;
        }

        if (name[0] == '!')
        {
            if (!AllMarket.Contains(name))
            {
                return null;
            }

            var at = name.IndexOf('@', StringComparison.Ordinal);
            var kind = name[1..(at > 0 ? at : name.Length)];
            return new MarketStreamName(name, null, kind, null, 0, name.EndsWith("@1s", StringComparison.Ordinal) ? "1s" : null);
        }

        var parts = name.Split('@');
        if (parts.Length is < 2 or > 3 || parts[0].Length is 0 or > 20 || !parts[0].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            return null;
        }

        var symbol = parts[0].ToUpperInvariant();
        var stream = parts[1];
        var speed = parts.Length == 3 ? parts[2] : null;
        if (stream.StartsWith("kline_", StringComparison.Ordinal))
        {
            var interval = stream["kline_".Length..];
            return speed is null && KlineIntervals.Contains(interval) ? new MarketStreamName(name, symbol, "kline", interval, 0, null) : null;
        }

        if (stream.StartsWith("depth", StringComparison.Ordinal))
        {
            var levels = stream["depth".Length..] switch { "" => 0, "5" => 5, "10" => 10, "20" => 20, _ => -1 };
            return levels >= 0 && speed is null or "100ms" or "500ms" ? new MarketStreamName(name, symbol, "depth", null, levels, speed) : null;
        }

        return (stream, speed) switch
        {
            ("markPrice", null or "1s") or ("aggTrade" or "miniTicker" or "ticker" or "bookTicker" or "forceOrder", null)
                => new MarketStreamName(name, symbol, stream, null, 0, speed),
            _ => null,
        };
    }

    /// <summary>Whether a name has the shape of a market stream rather than a listen key (it has an <c>@</c> or starts with <c>!</c>).</summary>
    /// <param name="name">A path segment or stream name.</param>
    /// <returns>True for stream-shaped names.</returns>
    public static bool LooksLikeStream(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith('!') || name.Contains('@', StringComparison.Ordinal);
    }
}
