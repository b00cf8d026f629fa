using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Trading;

/// <summary>Conditional orders on /fapi/v1/algoOrder: triggers on mark or contract price, closePosition, trailing.</summary>
public sealed class AlgoOrderTests : IAsyncLifetime
{
    private PaperHarness _paper = null!;

    public async Task InitializeAsync()
    {
        _paper = await StartAsync();
        await _paper.PinAsync("BTCUSDT", 50_000m);
    }

    public async Task DisposeAsync() => await _paper.DisposeAsync();

    [Fact]
    public async Task StopMarketClosePosition_TriggersOnMarkPrice_AndClosesTheWholePosition()
    {
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
        var algo = await _paper.OkAsync(HttpMethod.Post, "fapi/v1/algoOrder",
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&triggerPrice=49000&closePosition=true&workingType=MARK_PRICE&clientAlgoId=stop-1");
        Assert.Equal("NEW", algo.GetProperty("algoStatus").GetString());
        Assert.Single((await _paper.OkAsync(HttpMethod.Get, "fapi/v1/openAlgoOrders", "symbol=BTCUSDT")).EnumerateArray());

        await _paper.PinAsync("BTCUSDT", 49_500m);
        Assert.Equal("NEW", (await _paper.OkAsync(HttpMethod.Get, "fapi/v1/algoOrder", "clientAlgoId=stop-1")).GetProperty("algoStatus").GetString());

        await _paper.PinAsync("BTCUSDT", 48_900m);

        var fired = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/algoOrder", "clientAlgoId=stop-1");
        Assert.Equal("FINISHED", fired.GetProperty("algoStatus").GetString());
        Assert.NotEqual("", fired.GetProperty("actualOrderId").GetString());
        Assert.Equal("0.000", (await _paper.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
        var child = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&orderId=" + fired.GetProperty("actualOrderId").GetString());
        Assert.Equal("STOP_MARKET", child.GetProperty("origType").GetString());
        Assert.Equal("FILLED", child.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("side=SELL&type=STOP_MARKET&triggerPrice=51000&quantity=0.01")]
    [InlineData("side=BUY&type=STOP_MARKET&triggerPrice=49000&quantity=0.01")]
    [InlineData("side=SELL&type=TAKE_PROFIT_MARKET&triggerPrice=49000&quantity=0.01")]
    [InlineData("side=BUY&type=TAKE_PROFIT_MARKET&triggerPrice=51000&quantity=0.01")]
    public async Task TriggerAlreadyCrossed_IsRejectedWith2021(string order)
    {
        Assert.Equal(-2021, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/algoOrder", "algoType=CONDITIONAL&symbol=BTCUSDT&" + order));
    }

    [Theory]
    [InlineData("algoType=VP&side=SELL&type=STOP_MARKET&triggerPrice=49000&quantity=0.01", -1130)]
    [InlineData("algoType=CONDITIONAL&side=SELL&type=MARKET&triggerPrice=49000&quantity=0.01", -1116)]
    [InlineData("algoType=CONDITIONAL&side=SELL&type=STOP_MARKET&quantity=0.01", -1102)]
    [InlineData("algoType=CONDITIONAL&side=SELL&type=STOP_MARKET&triggerPrice=49000&closePosition=true&quantity=0.01", -4137)]
    [InlineData("algoType=CONDITIONAL&side=SELL&type=STOP&triggerPrice=49000&closePosition=true", -1106)]
    [InlineData("algoType=CONDITIONAL&side=SELL&type=TRAILING_STOP_MARKET&callbackRate=11&quantity=0.01", -4058)]
    public async Task InvalidAlgoOrders_AreRejected(string order, int code)
    {
        Assert.Equal(code, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/algoOrder", "symbol=BTCUSDT&" + order));
    }

    [Fact]
    public async Task TrailingStop_FiresAfterRetracingTheCallbackFromTheHigh()
    {
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
        var algo = await _paper.OkAsync(HttpMethod.Post, "fapi/v1/algoOrder",
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=TRAILING_STOP_MARKET&callbackRate=1&quantity=0.1&reduceOnly=true");
        var id = algo.GetProperty("algoId").GetInt64();

        await _paper.PinAsync("BTCUSDT", 52_000m);
        await _paper.PinAsync("BTCUSDT", 51_600m);
        Assert.Equal("NEW", (await _paper.OkAsync(HttpMethod.Get, "fapi/v1/algoOrder", "algoId=" + id)).GetProperty("algoStatus").GetString());

        await _paper.PinAsync("BTCUSDT", 51_470m);

        Assert.Equal("FINISHED", (await _paper.OkAsync(HttpMethod.Get, "fapi/v1/algoOrder", "algoId=" + id)).GetProperty("algoStatus").GetString());
        Assert.Equal("0.000", (await _paper.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
    }

    [Fact]
    public async Task CancelAlgo_RemovesItFromOpenAlgoOrders()
    {
        var algo = await _paper.OkAsync(HttpMethod.Post, "fapi/v1/algoOrder",
            "algoType=CONDITIONAL&symbol=BTCUSDT&side=BUY&type=STOP&triggerPrice=51000&price=51000&quantity=0.01");

        var canceled = await _paper.OkAsync(HttpMethod.Delete, "fapi/v1/algoOrder", "algoId=" + algo.GetProperty("algoId").GetInt64());

        Assert.Equal("success", canceled.GetProperty("msg").GetString());
        Assert.Empty((await _paper.OkAsync(HttpMethod.Get, "fapi/v1/openAlgoOrders")).EnumerateArray());
    }
}
