using System.Globalization;
using System.Text.Json.Nodes;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Market;

/// <summary>
/// Public market data derived from <see cref="PriceFeed"/>: the book is centred on the last price, trades and
/// klines sample the same path, so depth, trades, klines and mark price never disagree.
/// </summary>
internal sealed class MarketData(PriceFeed prices, TimeProvider time)
{
    private static readonly int[] DepthLimits = [5, 10, 20, 50, 100, 500, 1000];

    public static IReadOnlyDictionary<string, long> IntervalSeconds { get; } = new Dictionary<string, long>
    {
        ["1s"] = 1, ["1m"] = 60, ["3m"] = 180, ["5m"] = 300, ["15m"] = 900, ["30m"] = 1800, ["1h"] = 3600, ["2h"] = 7200,
        ["4h"] = 14400, ["6h"] = 21600, ["8h"] = 28800, ["12h"] = 43200, ["1d"] = 86400, ["3d"] = 259200, ["1w"] = 604800,
    };

    public PriceFeed Prices => prices;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public long NowSecond => NowMs / 1000;

    public decimal Last(SymbolSpec spec) => prices.LastPrice(spec, NowSecond);

    /// <summary>Best bid and ask: one tick either side of the last price.</summary>
    public (decimal Bid, decimal Ask) Top(SymbolSpec spec, long second)
    {
        var last = prices.LastPrice(spec, second);
        return (last - spec.TickSize, last + spec.TickSize);
    }

    public JsonObject Depth(SymbolSpec spec, string? limitText)
    {
        var limit = ParseLimit(limitText, 500);
        if (!DepthLimits.Contains(limit))
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'limit' is not valid.");
        }

        var now = NowMs;
        var second = now / 1000;
        var (bid, ask) = Top(spec, second);
        var bids = new JsonNode[limit];
        var asks = new JsonNode[limit];
        for (var i = 0; i < limit; i++)
        {
            bids[i] = new JsonArray(Wire.Price(spec, bid - (i * spec.TickSize)), Wire.Qty(spec, LevelQty(spec, second, i)));
            asks[i] = new JsonArray(Wire.Price(spec, ask + (i * spec.TickSize)), Wire.Qty(spec, LevelQty(spec, second, i + 10_000)));
        }

        return new JsonObject { ["lastUpdateId"] = now * 10, ["E"] = now, ["T"] = now, ["bids"] = new JsonArray(bids), ["asks"] = new JsonArray(asks) };
    }

    public JsonNode[] Trades(SymbolSpec spec, string? limitText)
    {
        var limit = Math.Clamp(ParseLimit(limitText, 500), 1, 1000);
        var now = NowSecond;
        var trades = new JsonNode[limit];
        for (var i = 0; i < limit; i++)
        {
            var second = now - (limit - 1 - i);
            var price = prices.LastPrice(spec, second);
            var qty = LevelQty(spec, second, 20_000) / 4;
            trades[i] = new JsonObject
            {
                ["id"] = second,
                ["price"] = Wire.Price(spec, price),
                ["qty"] = Wire.Qty(spec, qty),
                ["quoteQty"] = Wire.Money(price * qty),
                ["time"] = second * 1000,
                ["isBuyerMaker"] = prices.Unit(spec.Symbol, 21, second) < 0.5,
            };
        }

        return trades;
    }

    public JsonNode[] Klines(SymbolSpec spec, string? interval, string? startText, string? endText, string? limitText)
    {
        if (interval is null || !IntervalSeconds.TryGetValue(interval, out var step))
        {
            throw new ExchangeException(-1120, "Invalid interval.");
        }

        var limit = ParseLimit(limitText, 500);
        if (limit is < 1 or > 1500)
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'limit' is not valid.");
        }

        var now = NowSecond;
        var current = now / step * step;
        long first;
        if (long.TryParse(startText, CultureInfo.InvariantCulture, out var startMs))
        {
            first = ((startMs / 1000) + step - 1) / step * step;
        }
        else if (long.TryParse(endText, CultureInfo.InvariantCulture, out var endMsOnly))
        {
            first = (Math.Min(endMsOnly / 1000, now) / step * step) - ((limit - 1) * step);
        }
        else
        {
            first = current - ((limit - 1) * step);
        }

        var last = long.TryParse(endText, CultureInfo.InvariantCulture, out var endMs) ? Math.Min(endMs / 1000, now) : now;
        var rows = new List<JsonNode>(limit);
        for (var open = first; open <= last && open <= current && rows.Count < limit; open += step)
        {
            rows.Add(Kline(spec, open, step, Math.Min(open + step - 1, now)));
        }

        return [.. rows];
    }

    public JsonObject Ticker(SymbolSpec spec) => new JsonObject { ["symbol"] = spec.Symbol, ["price"] = Wire.Price(spec, Last(spec)), ["time"] = NowMs };

    public JsonObject Ticker24h(SymbolSpec spec)
    {
        var now = NowSecond;
        var t = Rolling24h(spec, now);
        return new JsonObject
        {
            ["symbol"] = spec.Symbol,
            ["priceChange"] = t.Change,
            ["priceChangePercent"] = t.ChangePercent,
            ["weightedAvgPrice"] = t.Average,
            ["lastPrice"] = t.Last,
            ["lastQty"] = Wire.Qty(spec, LevelQty(spec, now, 20_000) / 4),
            ["openPrice"] = t.Open,
            ["highPrice"] = t.High,
            ["lowPrice"] = t.Low,
            ["volume"] = t.Volume,
            ["quoteVolume"] = t.Quote,
            ["openTime"] = (now - 86_400) * 1000,
            ["closeTime"] = NowMs,
            ["firstId"] = now - 86_400,
            ["lastId"] = now,
            ["count"] = 86_401,
        };
    }

    /// <summary>The rolling 24-hour statistics ending at <paramref name="second"/>, in wire form (REST ticker and the ticker streams).</summary>
    public Rolling24h Rolling24h(SymbolSpec spec, long second)
    {
        var open = prices.LastPrice(spec, second - 86_400);
        var last = prices.LastPrice(spec, second);
        decimal high = Math.Max(open, last), low = Math.Min(open, last), volume = 0, quote = 0;
        for (var s = second - 86_400; s <= second; s += 300)
        {
            var p = prices.LastPrice(spec, s);
            high = Math.Max(high, p);
            low = Math.Min(low, p);
            var q = LevelQty(spec, s, 30_000) * 50;
            volume += q;
            quote += q * p;
        }

        return new Rolling24h(Wire.Price(spec, open), Wire.Price(spec, high), Wire.Price(spec, low), Wire.Price(spec, last), Wire.Qty(spec, volume), Wire.Money(quote),
            Wire.Price(spec, last - open), ((last - open) / open * 100).ToString("F3", CultureInfo.InvariantCulture), Wire.Price(spec, volume == 0 ? last : quote / volume));
    }

    public JsonObject PremiumIndex(SymbolSpec spec)
    {
        var now = NowMs;
        var second = now / 1000;
        var eightHours = 8 * 3600L;
        return new JsonObject
        {
            ["symbol"] = spec.Symbol,
            ["markPrice"] = Wire.Price(spec, prices.MarkPrice(spec, second)),
            ["indexPrice"] = Wire.Price(spec, prices.IndexPrice(spec, second)),
            ["estimatedSettlePrice"] = Wire.Price(spec, prices.IndexPrice(spec, second)),
            ["lastFundingRate"] = FundingRate(spec, second / eightHours * eightHours).ToString("F8", CultureInfo.InvariantCulture),
            ["interestRate"] = "0.00010000",
            ["nextFundingTime"] = ((second / eightHours) + 1) * eightHours * 1000,
            ["time"] = now,
        };
    }

    public JsonNode[] FundingHistory(SymbolSpec spec, string? startText, string? endText, string? limitText)
    {
        const long eightHours = 8 * 3600;
        var limit = Math.Clamp(ParseLimit(limitText, 100), 1, 1000);
        var latest = NowSecond / eightHours * eightHours;
        var end = long.TryParse(endText, CultureInfo.InvariantCulture, out var endMs) ? Math.Min(endMs / 1000 / eightHours * eightHours, latest) : latest;
        var start = long.TryParse(startText, CultureInfo.InvariantCulture, out var startMs)
            ? ((startMs / 1000) + eightHours - 1) / eightHours * eightHours
            : end - ((limit - 1) * eightHours);
        var rows = new List<JsonNode>();
        for (var t = start; t <= end && rows.Count < limit; t += eightHours)
        {
            rows.Add(new JsonObject
            {
                ["symbol"] = spec.Symbol,
                ["fundingRate"] = FundingRate(spec, t).ToString("F8", CultureInfo.InvariantCulture),
                ["fundingTime"] = t * 1000,
                ["markPrice"] = Wire.Price(spec, prices.MarkPrice(spec, t)),
            });
        }

        return [.. rows];
    }

    public JsonArray Kline(SymbolSpec spec, long open, long step, long closeSecond)
    {
        var samples = Math.Min(step, 240);
        var stride = Math.Max(1, step / samples);
        var openPrice = prices.LastPrice(spec, open);
        var closePrice = prices.LastPrice(spec, closeSecond);
        decimal high = Math.Max(openPrice, closePrice), low = Math.Min(openPrice, closePrice), volume = 0, quote = 0;
        var trades = 0;
        for (var s = open; s <= closeSecond; s += stride)
        {
            var p = prices.LastPrice(spec, s);
            high = Math.Max(high, p);
            low = Math.Min(low, p);
            var q = LevelQty(spec, s, 30_000) * stride / 10;
            volume += q;
            quote += q * p;
            trades += (int)stride;
        }

        var takerShare = (decimal)(0.4 + (0.2 * prices.Unit(spec.Symbol, 31, open)));
        return new JsonArray(
            open * 1000, Wire.Price(spec, openPrice), Wire.Price(spec, high), Wire.Price(spec, low), Wire.Price(spec, closePrice),
            Wire.Qty(spec, volume), ((open + step) * 1000) - 1, Wire.Money(quote), trades,
            Wire.Qty(spec, volume * takerShare), Wire.Money(quote * takerShare), "0");
    }

    public decimal LevelQty(SymbolSpec spec, long second, int level)
    {
        var units = 1 + (int)(prices.Unit(spec.Symbol, level, second) * 400);
        return units * spec.StepSize * (spec.StepSize < 1 ? 10 : 1);
    }

    public static decimal FundingRate(SymbolSpec spec, long fundingSecond) =>
        Math.Round(0.0001m + (0.00005m * (decimal)Math.Sin(fundingSecond / 86_400.0 + spec.Symbol.Length)), 8);

    private static int ParseLimit(string? text, int fallback) =>
        text is null ? fallback : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ExchangeException(-1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.");
}

/// <summary>Rolling 24-hour statistics in wire form.</summary>
internal sealed record Rolling24h(string Open, string High, string Low, string Last, string Volume, string Quote, string Change, string ChangePercent, string Average);
