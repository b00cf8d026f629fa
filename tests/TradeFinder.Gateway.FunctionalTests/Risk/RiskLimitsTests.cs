using System.Net;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Risk;

/// <summary>Per-bot risk limits set at run time, checked against the simulator's account state.</summary>
public sealed class RiskLimitsTests
{
    [Fact]
    public async Task RiskLimits_RefuseWhatAddsRisk_ButLetReduceOnlyThrough()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var alpha = host.CreateClient(await host.IssueBotAsync("alpha"));
        await host.IssueAdminAsync("ops");
        var (code, _, error) = await host.CliAsync("bots", "set", "alpha", "--symbols", "ETHUSDT", "--order-types", "LIMIT,MARKET", "--max-order-notional", "500",
            "--max-position-notional", "800", "--max-leverage", "5", "--margin-type", "CROSSED", "--max-open-orders", "1");
        Assert.True(code == 0, error);

        Assert.Equal((HttpStatusCode.Forbidden, -2010), await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002"));
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.2"));
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=ETHUSDT&leverage=6"));
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/marginType?symbol=ETHUSDT&marginType=ISOLATED"));
        Assert.Equal(HttpStatusCode.OK, (await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=ETHUSDT&leverage=5")).Status);
        Assert.Equal(HttpStatusCode.OK, (await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=3000")).Status);

        // Position limit (800) would be crossed, and one order is already open: both refuse new risk...
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.1"));

        // ...but closing the position still works.
        Assert.Equal(HttpStatusCode.OK, (await alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.1&reduceOnly=true")).Status);
    }
}
