using System.Net;
using TradeFinder.PaperExchange.Limits;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Limits;

public sealed class RateLimitTests
{
    [Fact]
    public async Task UsedWeightHeader_CountsParameterDependentWeights()
    {
        await using var paper = await StartAsync();

        var first = await paper.SendAsync(HttpMethod.Get, "fapi/v1/depth", "symbol=BTCUSDT&limit=5", signed: false);
        var second = await paper.SendAsync(HttpMethod.Get, "fapi/v1/depth", "symbol=BTCUSDT&limit=1000", signed: false);
        var third = await paper.SendAsync(HttpMethod.Get, "fapi/v1/klines", "symbol=BTCUSDT&interval=1m&limit=1000", signed: false);

        Assert.Equal("2", first.Header("X-MBX-USED-WEIGHT-1M"));
        Assert.Equal("22", second.Header("X-MBX-USED-WEIGHT-1M"));
        Assert.Equal("27", third.Header("X-MBX-USED-WEIGHT-1M"));
    }

    [Fact]
    public async Task WeightLimit_Gives429WithRetryAfter_ThenEscalatesTo418Ban_ThenRecovers()
    {
        await using var paper = await StartAsync(s => s with { Limits = new RateLimitSettings { WeightPerMinute = 20, RequestsBeforeBan = 2 } });

        var ok = await paper.SendAsync(HttpMethod.Get, "fapi/v1/depth", "symbol=BTCUSDT&limit=1000", signed: false);
        var limited = await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false);
        await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false);
        var banned = await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false);
        var stillBanned = await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false);

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal(-1003, limited.Code);
        Assert.InRange(int.Parse(limited.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal((HttpStatusCode)418, banned.Status);
        Assert.Contains("banned until", banned.Body.GetProperty("msg").GetString());
        Assert.Equal((HttpStatusCode)418, stillBanned.Status);
        Assert.Equal(120, int.Parse(banned.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture));

        paper.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false)).Status);
    }

    [Fact]
    public async Task OrderCount_HeadersAndTooManyOrders()
    {
        await using var paper = await StartAsync(s => s with { Limits = new RateLimitSettings { OrdersPer10Seconds = 2 } });
        const string order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=40000";

        var first = await paper.SendAsync(HttpMethod.Post, "fapi/v1/order", order);
        var second = await paper.SendAsync(HttpMethod.Post, "fapi/v1/order", order);
        var third = await paper.SendAsync(HttpMethod.Post, "fapi/v1/order", order);

        Assert.Equal("1", first.Header("X-MBX-ORDER-COUNT-10S"));
        Assert.Equal("2", second.Header("X-MBX-ORDER-COUNT-10S"));
        Assert.Equal("2", second.Header("X-MBX-ORDER-COUNT-1M"));
        Assert.Equal((HttpStatusCode)429, third.Status);
        Assert.Equal(-1015, third.Code);

        paper.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await paper.SendAsync(HttpMethod.Post, "fapi/v1/order", order)).Status);
    }
}
