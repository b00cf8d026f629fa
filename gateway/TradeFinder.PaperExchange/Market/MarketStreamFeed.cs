using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradeFinder.Contracts.Streams;

namespace TradeFinder.PaperExchange.Market;

/// <summary>
/// The market streams of Binance USDⓈ-M Futures "WebSocket Market Streams", drawn from the same price process as the
/// REST market data, so a stream and a REST read of the same second agree. The process moves once a second, so every
/// stream updates once a second (mark price every 3 s unless <c>@1s</c>); liquidation streams stay silent, as the
/// simulator has no other traders.
/// </summary>
internal sealed class MarketStreamFeed(MarketData market)
{
    /// <summary>Levels per side the diff depth stream maintains, the deepest REST snapshot.</summary>
    public const int DiffDepthLevels = 1000;

    /// <summary>
    /// The payloads of one stream for second <paramref name="second"/>, given the last second already sent
    /// (diff depth carries the change since then, numbered so that <c>pu</c> is the previous event's <c>u</c>).
    /// </summary>
    public IEnumerable<byte[]> EventsAt(MarketStreamName stream, long second, long previous)
    {
        if (stream.Symbol is null)
        {
            foreach (var payload in AllMarketAt(stream, second))
            {
                yield return payload;
            }

            yield break;
        }

        if (SymbolSpec.Find(stream.Symbol) is not { } spec)
        {
            yield break;
        }

        JsonObject? e = stream.Kind switch
        {
            "aggTrade" => AggTrade(spec, second),
            "markPrice" when stream.Speed == "1s" || second % 3 == 0 => MarkPrice(spec, second),
            "kline" => null,
            "miniTicker" => MiniTicker(spec, second),
            "ticker" => Ticker(spec, second),
            "bookTicker" => BookTicker(spec, second),
            "depth" => Depth(spec, second, previous, stream.Levels),
            _ => null,
        };
        if (e is not null)
        {
            yield return Bytes(e);
        }

        if (stream.Kind == "kline" && MarketData.IntervalSeconds.TryGetValue(stream.Interval!, out var step))
        {
            var open = second / step * step;
            if (open == second && previous >= open - step)
            {
                yield return Bytes(Kline(spec, second, open - step, step, closed: true));
            }

            yield return Bytes(Kline(spec, second, open, step, closed: false));
        }
    }

    private IEnumerable<byte[]> AllMarketAt(MarketStreamName stream, long second)
    {
        switch (stream.Kind)
        {
            case "markPrice" when stream.Speed == "1s" || second % 3 == 0:
                yield return Bytes(Wire.List(SymbolSpec.Listed.Select(s => MarkPrice(s, second))));
                break;
            case "ticker":
                yield return Bytes(Wire.List(SymbolSpec.Listed.Select(s => Ticker(s, second))));
                break;
            case "miniTicker":
                yield return Bytes(Wire.List(SymbolSpec.Listed.Select(s => MiniTicker(s, second))));
                break;
            case "bookTicker":
                foreach (var spec in SymbolSpec.Listed)
                {
                    yield return Bytes(BookTicker(spec, second));
                }

                break;
        }
    }

    private JsonObject AggTrade(SymbolSpec spec, long second)
    {
        var prices = market.Prices;
        return Fields(("e", "aggTrade"), ("E", second * 1000), ("a", second), ("s", spec.Symbol), ("p", Wire.Price(spec, prices.LastPrice(spec, second))), ("q", Wire.Qty(spec, market.LevelQty(spec, second, 20_000) / 4)), ("f", second), ("l", second), ("T", second * 1000), ("m", prices.Unit(spec.Symbol, 21, second) < 0.5));
    }

    private JsonObject MarkPrice(SymbolSpec spec, long second)
    {
        const long EightHours = 8 * 3600;
        var prices = market.Prices;
        var index = Wire.Price(spec, prices.IndexPrice(spec, second));
        return Fields(("e", "markPriceUpdate"), ("E", second * 1000), ("s", spec.Symbol), ("p", Wire.Price(spec, prices.MarkPrice(spec, second))), ("i", index), ("P", index), ("r", MarketData.FundingRate(spec, second / EightHours * EightHours).ToString("F8", CultureInfo.InvariantCulture)), ("T", ((second / EightHours) + 1) * EightHours * 1000));
    }

    private JsonObject Kline(SymbolSpec spec, long second, long open, long step, bool closed)
    {
        var row = market.Kline(spec, open, step, Math.Min(open + step - 1, second));
        JsonNode? Row(int i) => row[i]?.DeepClone(); // a node belongs to one document
        return Fields(("e", "kline"), ("E", second * 1000), ("s", spec.Symbol), ("k", Fields(("t", Row(0)), ("T", Row(6)), ("s", spec.Symbol), ("i", MarketData.IntervalSeconds.First(i => i.Value == step).Key), ("f", open), ("L", Math.Min(open + step - 1, second)), ("o", Row(1)), ("c", Row(4)), ("h", Row(2)), ("l", Row(3)), ("v", Row(5)), ("n", Row(8)), ("x", closed), ("q", Row(7)), ("V", Row(9)), ("Q", Row(10)), ("B", "0"))));
    }

    private JsonObject MiniTicker(SymbolSpec spec, long second)
    {
        var t = market.Rolling24h(spec, second);
        return Fields(("e", "24hrMiniTicker"), ("E", second * 1000), ("s", spec.Symbol), ("c", t.Last), ("o", t.Open), ("h", t.High), ("l", t.Low), ("v", t.Volume), ("q", t.Quote));
    }

    private JsonObject Ticker(SymbolSpec spec, long second)
    {
        var t = market.Rolling24h(spec, second);
        return Fields(("e", "24hrTicker"), ("E", second * 1000), ("s", spec.Symbol), ("p", t.Change), ("P", t.ChangePercent), ("w", t.Average), ("c", t.Last), ("Q", Wire.Qty(spec, market.LevelQty(spec, second, 20_000) / 4)), ("o", t.Open), ("h", t.High), ("l", t.Low), ("v", t.Volume), ("q", t.Quote), ("O", (second - 86_400) * 1000), ("C", second * 1000), ("F", second - 86_400), ("L", second), ("n", 86_401));
    }

    private JsonObject BookTicker(SymbolSpec spec, long second)
    {
        var (bid, ask) = market.Top(spec, second);
        return Fields(("e", "bookTicker"), ("u", second * 10_000), ("E", second * 1000), ("T", second * 1000), ("s", spec.Symbol), ("b", Wire.Price(spec, bid)), ("B", Wire.Qty(spec, market.LevelQty(spec, second, 0))), ("a", Wire.Price(spec, ask)), ("A", Wire.Qty(spec, market.LevelQty(spec, second, 10_000))));
    }

    /// <summary>
    /// Partial depth: the top levels. Diff depth: every level of the window at this second, plus a zero for each level
    /// of the previous second's window that left it. Update ids follow REST's <c>lastUpdateId</c> (milliseconds × 10), so a
    /// snapshot taken during second s is bridged by the event of second s + 1 (U ≤ lastUpdateId ≤ u).
    /// </summary>
    private JsonObject Depth(SymbolSpec spec, long second, long previous, int levels)
    {
        var count = levels > 0 ? levels : DiffDepthLevels;
        var from = previous > 0 ? previous : second - 1;
        var bids = Side(spec, second, count, bid: true);
        var asks = Side(spec, second, count, bid: false);
        if (levels == 0)
        {
            bids.AddRange(Left(HeldSince(spec, from, second, count, bid: true), bids));
            asks.AddRange(Left(HeldSince(spec, from, second, count, bid: false), asks));
        }

        return Fields(("e", "depthUpdate"), ("E", second * 1000), ("T", second * 1000), ("s", spec.Symbol), ("U", (from * 10_000) + 1), ("u", second * 10_000), ("pu", from * 10_000), ("b", Levels(bids)), ("a", Levels(asks)));

        static IEnumerable<string[]> Left(IEnumerable<string> before, List<string[]> now)
        {
            var kept = now.Select(l => l[0]).ToHashSet(StringComparer.Ordinal);
            return before.Where(price => !kept.Contains(price)).Select(price => new[] { price, "0" }).ToList();
        }
    }

    /// <summary>
    /// Every price level a side's window held from second <paramref name="from"/> up to the one before
    /// <paramref name="second"/>. Usually that is one window; after a late or skipped second (a loaded machine) a book
    /// built from a snapshot taken in between also holds the windows of the seconds never sent, and each of their
    /// levels that is gone must be zeroed too. The windows overlap, so their union is one price range.
    /// </summary>
    private List<string> HeldSince(SymbolSpec spec, long from, long second, int count, bool bid)
    {
        var (low, high) = (decimal.MaxValue, decimal.MinValue);
        for (var t = Math.Max(from, second - 600); t < second || t == from; t++)
        {
            var (best, ask) = market.Top(spec, t);
            var edge = bid ? best : ask;
            (low, high) = (Math.Min(low, edge), Math.Max(high, edge));
            if (t >= second - 1)
            {
                break;
            }
        }

        var (start, end) = bid ? (low - ((count - 1) * spec.TickSize), high) : (low, high + ((count - 1) * spec.TickSize));
        var prices = new List<string>();
        for (var price = start; price <= end; price += spec.TickSize)
        {
            prices.Add(Wire.Price(spec, price));
        }

        return prices;
    }

    /// <summary>An event with the exchange's one-letter fields, some differing only in case (<c>b</c>/<c>B</c>).</summary>
    private static JsonObject Fields(params (string Name, JsonNode? Value)[] fields)
    {
        var e = new JsonObject();
        foreach (var (name, value) in fields)
        {
            e[name] = value;
        }

        return e;
    }

    private static JsonArray Levels(List<string[]> levels) => Wire.List(levels.Select(l => new JsonArray(l[0], l[1])));

    private static byte[] Bytes(JsonNode e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            e.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private List<string[]> Side(SymbolSpec spec, long second, int count, bool bid)
    {
        var (best, ask) = market.Top(spec, second);
        var levels = new List<string[]>(count);
        for (var i = 0; i < count; i++)
        {
            var price = bid ? best - (i * spec.TickSize) : ask + (i * spec.TickSize);
            levels.Add([Wire.Price(spec, price), Wire.Qty(spec, market.LevelQty(spec, second, bid ? i : i + 10_000))]);
        }

        return levels;
    }
}
