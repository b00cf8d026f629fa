using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Trading;

/// <summary>positionSide and reduceOnly rules in hedge mode (Binance USDⓈ-M Futures "New Order (TRADE)" and the hedge-mode FAQ).</summary>
public sealed class HedgeModeTests : IAsyncLifetime
{
    private PaperHarness _paper = null!;

    public async Task InitializeAsync()
    {
        _paper = await StartAsync();
        await _paper.PinAsync("ETHUSDT", 3_000m);
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/positionSide/dual", "dualSidePosition=true");
    }

    public async Task DisposeAsync() => await _paper.DisposeAsync();

    [Theory]
    [InlineData("side=BUY", -4061)]
    [InlineData("side=BUY&positionSide=BOTH", -4061)]
    [InlineData("side=BUY&positionSide=LONG&reduceOnly=true", -1106)]
    [InlineData("side=BUY&positionSide=LONG&reduceOnly=false", -1106)]
    [InlineData("side=SELL&positionSide=LONG", -2022)]
    [InlineData("side=BUY&positionSide=SHORT", -2022)]
    [InlineData("side=BUY&positionSide=LONG", 0)]
    [InlineData("side=SELL&positionSide=SHORT", 0)]
    public async Task OrderRules_WithNoPositions(string sides, int code)
    {
        var response = await _paper.SendAsync(HttpMethod.Post, "fapi/v1/order", "symbol=ETHUSDT&type=MARKET&quantity=0.01&" + sides);

        Assert.Equal(code, response.Code);
    }

    [Fact]
    public async Task LongAndShort_AreIndependentPositions_AndClosingSidesReduceThem()
    {
        await _paper.OrderAsync("symbol=ETHUSDT&side=BUY&positionSide=LONG&type=MARKET&quantity=0.5");
        await _paper.OrderAsync("symbol=ETHUSDT&side=SELL&positionSide=SHORT&type=MARKET&quantity=0.2");

        Assert.Equal("0.500", (await _paper.PositionAsync("ETHUSDT", "LONG")).GetProperty("positionAmt").GetString());
        Assert.Equal("-0.200", (await _paper.PositionAsync("ETHUSDT", "SHORT")).GetProperty("positionAmt").GetString());

        var close = await _paper.OrderAsync("symbol=ETHUSDT&side=SELL&positionSide=LONG&type=MARKET&quantity=0.3");

        Assert.True(close.GetProperty("reduceOnly").GetBoolean());
        Assert.Equal("0.200", (await _paper.PositionAsync("ETHUSDT", "LONG")).GetProperty("positionAmt").GetString());
        Assert.Equal("-0.200", (await _paper.PositionAsync("ETHUSDT", "SHORT")).GetProperty("positionAmt").GetString());
    }

    [Fact]
    public async Task ClosePositionAlgo_IsNotAllowedOnTheOpeningSide()
    {
        var code = await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/algoOrder",
            "algoType=CONDITIONAL&symbol=ETHUSDT&side=BUY&positionSide=LONG&type=STOP_MARKET&triggerPrice=3100&closePosition=true");

        Assert.Equal(-4138, code);
    }

    [Fact]
    public async Task SwitchingBackToOneWay_IsBlockedWhileOrdersAreOpen()
    {
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/order", "symbol=ETHUSDT&side=BUY&positionSide=LONG&type=LIMIT&timeInForce=GTC&quantity=0.01&price=2900");

        Assert.Equal(-4067, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/positionSide/dual", "dualSidePosition=false"));
        Assert.True((await _paper.OkAsync(HttpMethod.Get, "fapi/v1/positionSide/dual")).GetProperty("dualSidePosition").GetBoolean());
    }
}
