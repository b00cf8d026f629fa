using System.Globalization;
using System.Text.Json;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Market;

public sealed class MarketDataTests
{
    private static decimal Dec(JsonElement e) => decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task SameSeed_SameMarket_DifferentSeed_DifferentMarket()
    {
        await using var a = await StartAsync(s => s with { Seed = 1 });
        await using var b = await StartAsync(s => s with { Seed = 1 });
        await using var c = await StartAsync(s => s with { Seed = 2 });

        async Task<string> Closes(PaperHarness p) => (await p.OkAsync(HttpMethod.Get, "fapi/v1/klines", "symbol=ETHUSDT&interval=1m&limit=30", signed: false)).GetRawText();

        Assert.Equal(await Closes(a), await Closes(b));
        Assert.NotEqual(await Closes(a), await Closes(c));
    }

    [Theory]
    [InlineData("BTCUSDT")]
    [InlineData("ETHUSDT")]
    [InlineData("SOLUSDT")]
    public async Task DepthTradesKlinesAndMark_AgreeWithTheLastPrice(string symbol)
    {
        await using var paper = await StartAsync();

        var last = Dec((await paper.OkAsync(HttpMethod.Get, "fapi/v1/ticker/price", "symbol=" + symbol, signed: false)).GetProperty("price"));
        var depth = await paper.OkAsync(HttpMethod.Get, "fapi/v1/depth", $"symbol={symbol}&limit=5", signed: false);
        var klines = await paper.OkAsync(HttpMethod.Get, "fapi/v1/klines", $"symbol={symbol}&interval=1m&limit=3", signed: false);
        var trades = await paper.OkAsync(HttpMethod.Get, "fapi/v1/trades", $"symbol={symbol}&limit=1", signed: false);
        var premium = await paper.OkAsync(HttpMethod.Get, "fapi/v1/premiumIndex", "symbol=" + symbol, signed: false);

        var bestBid = Dec(depth.GetProperty("bids")[0][0]);
        var bestAsk = Dec(depth.GetProperty("asks")[0][0]);
        Assert.True(bestBid < last && last < bestAsk);
        Assert.True(Dec(depth.GetProperty("bids")[1][0]) < bestBid);
        var current = klines[klines.GetArrayLength() - 1];
        Assert.Equal(last, Dec(current[4]));
        Assert.True(Dec(current[2]) >= last && Dec(current[3]) <= last);
        Assert.Equal(last, Dec(trades[0].GetProperty("price")));
        Assert.InRange(Dec(premium.GetProperty("markPrice")), last * 0.999m, last * 1.001m);
    }

    [Fact]
    public async Task PricesMoveWithTime()
    {
        await using var paper = await StartAsync();
        var before = (await paper.OkAsync(HttpMethod.Get, "fapi/v1/ticker/price", "symbol=BTCUSDT", signed: false)).GetProperty("price").GetString();

        paper.Advance(TimeSpan.FromMinutes(7));

        Assert.NotEqual(before, (await paper.OkAsync(HttpMethod.Get, "fapi/v1/ticker/price", "symbol=BTCUSDT", signed: false)).GetProperty("price").GetString());
    }

    [Fact]
    public async Task KlineReplay_ReproducesTheCsvCandles()
    {
        var csv = Path.Combine(AppContext.BaseDirectory, "Market", "Data", "BTCUSDT-1m.csv");
        await using var paper = await StartAsync(s => s with { KlineReplays = new Dictionary<string, string> { ["BTCUSDT"] = csv } });
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();

        var klines = await paper.OkAsync(HttpMethod.Get, "fapi/v1/klines", "symbol=BTCUSDT&interval=1m&limit=4", signed: false);

        foreach (var kline in klines.EnumerateArray().Take(3))
        {
            var minute = kline[0].GetInt64() / 60_000;
            var row = rows[minute % rows.Length];
            Assert.Equal(decimal.Parse(row[1], CultureInfo.InvariantCulture), Dec(kline[1]));
            Assert.Equal(decimal.Parse(row[2], CultureInfo.InvariantCulture), Dec(kline[2]));
            Assert.Equal(decimal.Parse(row[3], CultureInfo.InvariantCulture), Dec(kline[3]));
            Assert.Equal(decimal.Parse(row[4], CultureInfo.InvariantCulture), Dec(kline[4]));
        }
    }

    [Theory]
    [InlineData("fapi/v1/depth", "symbol=BTCUSDT&limit=7", -1130)]
    [InlineData("fapi/v1/klines", "symbol=BTCUSDT&interval=2m", -1120)]
    [InlineData("fapi/v1/klines", "symbol=BTCUSDT&interval=1m&limit=1501", -1130)]
    [InlineData("fapi/v1/ticker/price", "symbol=NOPEUSDT", -1121)]
    public async Task InvalidMarketDataRequests_GetExchangeErrors(string path, string query, int code)
    {
        await using var paper = await StartAsync();

        Assert.Equal(code, await paper.ErrorAsync(HttpMethod.Get, path, query, signed: false));
    }

    [Fact]
    public async Task ExchangeInfo_ListsTheFiltersAndLimitsThatAreEnforced()
    {
        await using var paper = await StartAsync();

        var info = await paper.OkAsync(HttpMethod.Get, "fapi/v1/exchangeInfo", signed: false);

        var btc = info.GetProperty("symbols").EnumerateArray().Single(s => s.GetProperty("symbol").GetString() == "BTCUSDT");
        var filters = btc.GetProperty("filters").EnumerateArray().Select(f => f.GetProperty("filterType").GetString()!).ToArray();
        Assert.Equal(["PRICE_FILTER", "LOT_SIZE", "MARKET_LOT_SIZE", "MAX_NUM_ORDERS", "MIN_NOTIONAL", "PERCENT_PRICE"], filters);
        Assert.Equal(3, info.GetProperty("rateLimits").GetArrayLength());
    }
}
