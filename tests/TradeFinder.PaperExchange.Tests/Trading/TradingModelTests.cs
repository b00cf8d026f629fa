using System.Net;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Trading;

/// <summary>Fills, fees, PnL, margin and order-type rules, against pinned prices (bid/ask one tick around).</summary>
public sealed class TradingModelTests : IAsyncLifetime
{
    private PaperHarness _paper = null!;

    public async Task InitializeAsync()
    {
        _paper = await StartAsync();
        await _paper.PinAsync("BTCUSDT", 50_000m);
    }

    public async Task DisposeAsync() => await _paper.DisposeAsync();

    [Fact]
    public async Task MarketRoundTrip_RealizesPnlAndChargesTakerFees()
    {
        var open = await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
        Assert.Equal("FILLED", open.GetProperty("status").GetString());
        Assert.Equal("50000.10", open.GetProperty("avgPrice").GetString());
        await _paper.PinAsync("BTCUSDT", 51_000m);

        var position = await _paper.PositionAsync("BTCUSDT");
        Assert.Equal("0.100", position.GetProperty("positionAmt").GetString());
        Assert.Equal(99.99m, D(position.GetProperty("unRealizedProfit")));

        await _paper.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.1");

        // 10000 − 0.1×50000.1×0.0005 + (50999.9 − 50000.1)×0.1 − 0.1×50999.9×0.0005
        Assert.Equal(10_094.93m, await _paper.WalletAsync());
        var trades = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/userTrades", "symbol=BTCUSDT");
        Assert.Equal(99.98m, D(trades[1].GetProperty("realizedPnl")));
        Assert.False(trades[1].GetProperty("maker").GetBoolean());
    }

    [Fact]
    public async Task RestingLimit_FillsAsMakerWhenThePriceComesToIt()
    {
        var order = await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=49000");
        Assert.Equal("NEW", order.GetProperty("status").GetString());

        await _paper.PinAsync("BTCUSDT", 48_990m);

        var filled = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&orderId=" + order.GetProperty("orderId").GetInt64());
        Assert.Equal("FILLED", filled.GetProperty("status").GetString());
        Assert.Equal("49000.00", filled.GetProperty("avgPrice").GetString());
        Assert.Equal(10_000m - 0.98m, await _paper.WalletAsync());
    }

    [Theory]
    [InlineData("GTX", "50000.1", -5022, null)]
    [InlineData("GTX", "49999.9", 0, "NEW")]
    [InlineData("FOK", "49000", -5021, null)]
    [InlineData("FOK", "50000.1", 0, "FILLED")]
    [InlineData("IOC", "49000", 0, "EXPIRED")]
    [InlineData("IOC", "50500", 0, "FILLED")]
    [InlineData("GTC", "49000", 0, "NEW")]
    public async Task TimeInForce_Behaviour(string tif, string price, int code, string? status)
    {
        var response = await _paper.SendAsync(HttpMethod.Post, "fapi/v1/order",
            $"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce={tif}&quantity=0.01&price={price}&newOrderRespType=RESULT");

        Assert.Equal(code, response.Code);
        if (status is not null)
        {
            Assert.Equal(status, response.Body.GetProperty("status").GetString());
        }
    }

    [Theory]
    [InlineData("type=STOP_MARKET&stopPrice=51000&quantity=0.01")]
    [InlineData("type=TAKE_PROFIT&stopPrice=49000&price=49000&quantity=0.01&timeInForce=GTC")]
    [InlineData("type=TRAILING_STOP_MARKET&callbackRate=1&quantity=0.01")]
    public async Task ConditionalTypesOnTheOrderEndpoint_AreSentToTheAlgoService(string order)
    {
        Assert.Equal(-4120, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/order", "symbol=BTCUSDT&side=BUY&" + order));
    }

    [Theory]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=5", -2019)]
    [InlineData("symbol=XYZUSDT&side=BUY&type=MARKET&quantity=1", -1121)]
    [InlineData("symbol=BTCUSDT&side=buy&type=MARKET&quantity=1", -1117)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMITED&quantity=1", -1116)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=50000", -1102)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=50000", -1102)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=60000", -4016)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001", -4164)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1e3", -1100)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&price=50000", -1106)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=has%20space", -4015)]
    [InlineData("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.01&reduceOnly=true", -2022)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&positionSide=LONG", -4061)]
    public async Task InvalidOrders_AreRejectedWithTheExchangesCodes(string query, int code)
    {
        Assert.Equal(code, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/order", query));
    }

    [Fact]
    public async Task DuplicateClientOrderId_AmongOpenOrders_IsRejected()
    {
        const string order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=dup-1";
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/order", order);

        Assert.Equal(-4116, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/order", order));
    }

    [Fact]
    public async Task ReduceOnly_ClosesAtMostThePosition()
    {
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.05");

        var close = await _paper.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.2&reduceOnly=true");

        Assert.Equal("0.050", close.GetProperty("executedQty").GetString());
        Assert.Equal("0.000", (await _paper.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
    }

    [Fact]
    public async Task OneWayPosition_FlipsWhenAnOrderExceedsIt()
    {
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.05");
        await _paper.OrderAsync("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.08");

        var position = await _paper.PositionAsync("BTCUSDT");

        Assert.Equal("-0.030", position.GetProperty("positionAmt").GetString());
        Assert.Equal("49999.90", position.GetProperty("entryPrice").GetString());
    }

    [Fact]
    public async Task LeverageAndMarginType_FollowTheExchangesRules()
    {
        Assert.Equal(-4028, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=126"));
        Assert.Equal(-4028, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=0"));
        Assert.Equal(-4046, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/marginType", "symbol=BTCUSDT&marginType=CROSSED"));
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=125");
        Assert.Equal(-2027, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1.5"));

        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");

        Assert.Equal(-4048, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED"));
        Assert.Equal(-4068, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/positionSide/dual", "dualSidePosition=true"));
        Assert.Equal(-4059, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/positionSide/dual", "dualSidePosition=false"));
    }

    [Fact]
    public async Task IsolatedLong_ReportsTheFormulaLiquidationPrice_AndIsLiquidatedWhenMarkCrossesIt()
    {
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED");
        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=10");
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");

        var position = await _paper.PositionAsync("BTCUSDT");
        var isolatedWallet = 0.1m * 50_000.1m / 10;
        var expectedLp = (isolatedWallet - (0.1m * 50_000.1m)) / ((0.1m * 0.004m) - 0.1m);
        Assert.Equal(Math.Round(expectedLp, 2), D(position.GetProperty("liquidationPrice")));
        Assert.Equal("isolated", position.GetProperty("marginType").GetString());

        await _paper.PinAsync("BTCUSDT", 45_300m);
        Assert.Equal("0.100", (await _paper.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());

        await _paper.PinAsync("BTCUSDT", 45_100m);

        Assert.Equal("0.000", (await _paper.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
        Assert.Equal(10_000m - 2.500005m - isolatedWallet, await _paper.WalletAsync());
        var income = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/income", "symbol=BTCUSDT&incomeType=INSURANCE_CLEAR");
        Assert.Single(income.EnumerateArray());
        var orders = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/allOrders", "symbol=BTCUSDT");
        Assert.Contains(orders.EnumerateArray(), o => o.GetProperty("type").GetString() == "LIQUIDATION");
    }

    [Fact]
    public async Task CountdownCancelAll_CancelsOpenOrdersWhenItExpires()
    {
        var order = await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000");
        var countdown = await _paper.OkAsync(HttpMethod.Post, "fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=30000");
        Assert.Equal("30000", countdown.GetProperty("countdownTime").GetString());

        _paper.Advance(TimeSpan.FromSeconds(31));

        var state = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&orderId=" + order.GetProperty("orderId").GetInt64());
        Assert.Equal("CANCELED", state.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BatchOrders_AnswersEachElementInOrder()
    {
        var batch = Uri.EscapeDataString("""[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"49000"},{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"1"}]""");

        var result = await _paper.OkAsync(HttpMethod.Post, "fapi/v1/batchOrders", "batchOrders=" + batch);

        Assert.Equal("NEW", result[0].GetProperty("status").GetString());
        Assert.Equal(-4013, result[1].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task CancelOrder_ThenCancelAgain_IsUnknownOrder()
    {
        var order = await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=c1");

        var canceled = await _paper.OkAsync(HttpMethod.Delete, "fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=c1");

        Assert.Equal("CANCELED", canceled.GetProperty("status").GetString());
        Assert.Equal(order.GetProperty("orderId").GetInt64(), canceled.GetProperty("orderId").GetInt64());
        Assert.Equal(-2011, await _paper.ErrorAsync(HttpMethod.Delete, "fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=c1"));
        Assert.Equal(-2013, await _paper.ErrorAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&orderId=1"));
    }

    [Fact]
    public async Task ListenKey_Lifecycle()
    {
        var created = await _paper.SendAsync(HttpMethod.Post, "fapi/v1/listenKey", signed: false, apiKey: ApiKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, created.Status);
        var key = (await _paper.SendAsync(HttpMethod.Post, "fapi/v1/listenKey", signed: false, apiKey: ApiKey)).Body;
        Assert.Equal(HttpStatusCode.OK, (await _paper.SendAsync(HttpMethod.Post, "fapi/v1/listenKey", signed: false, apiKey: ApiKey)).Status);

        Assert.Equal(64, key.GetProperty("listenKey").GetString()!.Length);
        _paper.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(-1125, (await _paper.SendAsync(HttpMethod.Put, "fapi/v1/listenKey", signed: false, apiKey: ApiKey)).Code);
    }

    [Fact]
    public async Task MaxNumOrders_CountsRegularAndAlgoOrders_AndRejectsTheNextWith2025()
    {
        for (var i = 0; i < 199; i++)
        {
            await _paper.OkAsync(HttpMethod.Post, "fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=" + (48_000 - i));
        }

        await _paper.OkAsync(HttpMethod.Post, "fapi/v1/algoOrder", "algoType=CONDITIONAL&symbol=BTCUSDT&side=BUY&type=STOP_MARKET&triggerPrice=51000&quantity=0.01");

        Assert.Equal(-2025, await _paper.ErrorAsync(HttpMethod.Post, "fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=47000"));
        Assert.Equal(HttpStatusCode.OK, (await _paper.SendAsync(HttpMethod.Post, "fapi/v1/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=2500")).Status);
    }
}
