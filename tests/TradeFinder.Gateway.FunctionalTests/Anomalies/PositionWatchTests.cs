using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Anomalies;

/// <summary>
/// Positions watched against the paper exchange's own margin numbers: two bots share one isolated BTCUSDT position
/// and the price falls towards its liquidation; a third bot's ETHUSDT share outgrows its cap as the price rises.
/// </summary>
public sealed class PositionWatchTests
{
    private static async Task<JsonElement> JsonAsync(HttpClient bot, HttpMethod method, string path)
    {
        using var response = await bot.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static decimal Number(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task APositionNearLiquidation_IsCritical_AndThePullBackSellsPartOfThatBotsShareOnly()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString(),
            ["Gateway:Anomalies:PositionCheckSeconds"] = "1",
            ["Gateway:Anomalies:MarginRatioWarning"] = "0.2",
            ["Gateway:Anomalies:MarginRatioCritical"] = "0.3",
            ["Gateway:Anomalies:PullBack:puller:MarginRatio"] = "0.3",
            ["Gateway:Anomalies:PullBack:puller:Fraction"] = "0.5",
        });
        using var holder = host.CreateClient(await host.IssueBotAsync("holder"));
        using var puller = host.CreateClient(await host.IssueBotAsync("puller"));
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        var ledger = host.Services.GetRequiredService<OwnershipLedger>();

        await host.PinPriceAsync("BTCUSDT", 50_000m);
        await JsonAsync(holder, HttpMethod.Post, "fapi/v1/marginType?symbol=BTCUSDT&marginType=ISOLATED");
        await JsonAsync(holder, HttpMethod.Post, "fapi/v1/leverage?symbol=BTCUSDT&leverage=20");
        await JsonAsync(holder, HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.18&newOrderRespType=RESULT");
        await JsonAsync(puller, HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.18&newOrderRespType=RESULT");
        await Task.Delay(1500);
        Assert.DoesNotContain(monitor.Recent, a => a.Kind == PositionWatch.NearLiquidation);

        // A 4% fall eats most of a 20x isolated margin: the exchange's own numbers must put the ratio between the levels.
        await host.PinPriceAsync("BTCUSDT", 48_000m);
        var position = Assert.Single((await JsonAsync(holder, HttpMethod.Get, "fapi/v3/positionRisk?symbol=BTCUSDT")).EnumerateArray());
        var ratio = Number(position, "maintMargin") / (Number(position, "isolatedWallet") + Number(position, "unRealizedProfit"));
        Assert.InRange(ratio, 0.3m, 0.99m);

        try
        {
            await Eventually.TrueAsync(() => monitor.Recent.Count(a => a.Kind == PositionWatch.NearLiquidation) == 2 && monitor.Recent.Any(a => a.Kind == PositionWatch.PullBack), "both holders warned, one pulled back");
        }
        catch (TimeoutException)
        {
            Assert.Fail(string.Join("\n", monitor.Recent.Select(a => $"{a.Kind} {a.Bot} {a.Evidence}")) + "\nshares: " + string.Join(", ", ledger.Positions()));
        }

        var near = monitor.Recent.Where(a => a.Kind == PositionWatch.NearLiquidation).ToList();
        Assert.All(near, a => Assert.Equal(AnomalySeverity.Critical, a.Severity));
        Assert.Equal(["holder", "puller"], near.Select(a => a.Bot).Order());
        Assert.Contains($"margin ratio {ratio:0.###}", near[0].Evidence, StringComparison.Ordinal);

        var pullBack = Assert.Single(monitor.Recent, a => a.Kind == PositionWatch.PullBack);
        Assert.Equal("puller", pullBack.Bot);
        Assert.Contains("reduce-only SELL MARKET 0.09", pullBack.Evidence, StringComparison.Ordinal);
        Assert.Contains("FILLED", pullBack.Evidence, StringComparison.Ordinal);

        // Only the puller's share shrank; the exchange's position is the sum of both, and the puller sees the order as its own.
        await monitor.Responses;
        var shares = ledger.Positions().Where(p => p.Symbol == "BTCUSDT").ToDictionary(p => p.Bot, p => p.Quantity);
        Assert.Equal(0.18m, shares["holder"]);
        Assert.Equal(0.09m, shares["puller"]);
        Assert.Equal(0.27m, Number(Assert.Single((await JsonAsync(holder, HttpMethod.Get, "fapi/v3/positionRisk?symbol=BTCUSDT")).EnumerateArray()), "positionAmt"));
        var orders = (await JsonAsync(puller, HttpMethod.Get, "fapi/v1/allOrders?symbol=BTCUSDT")).EnumerateArray().ToList();
        Assert.Contains(orders, o => o.GetProperty("clientOrderId").GetString()!.StartsWith("pullback-", StringComparison.Ordinal) && o.GetProperty("reduceOnly").GetBoolean());
        Assert.DoesNotContain((await JsonAsync(holder, HttpMethod.Get, "fapi/v1/allOrders?symbol=BTCUSDT")).EnumerateArray(),
            o => o.GetProperty("clientOrderId").GetString()!.StartsWith("pullback-", StringComparison.Ordinal));

        // Critical: both quarantined (they may still reduce), and one alert per incident.
        var registry = host.Services.GetRequiredService<BotRegistry>();
        Assert.Equal(TradingState.Reducing, registry.FindByName("holder")!.State);
        Assert.Equal(TradingState.Reducing, registry.FindByName("puller")!.State);
        await Task.Delay(2500); // two more checks: still one incident each, and no second pull-back within its cool-down
        Assert.Equal(2, monitor.Recent.Count(a => a.Kind == PositionWatch.NearLiquidation));
        Assert.Single(monitor.Recent, a => a.Kind == PositionWatch.PullBack);
        await Eventually.TrueAsync(() => webhook.Received.Count(r => r.Contains(PositionWatch.NearLiquidation, StringComparison.Ordinal)) == 2, "two alerts");
    }

    [Fact]
    public async Task AShareThatOutgrowsTheBotsCapAsThePriceRises_IsReported_WhileQuietSharesAreNot()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:PositionCheckSeconds"] = "1" });
        using var capped = host.CreateClient(await host.IssueBotAsync("capped"));
        await host.IssueAdminAsync("ops");
        Assert.Equal(0, (await host.CliAsync("bots", "set", "capped", "--max-position-notional", "1000")).ExitCode);
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();

        await host.PinPriceAsync("ETHUSDT", 2_000m);
        await JsonAsync(capped, HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.45&newOrderRespType=RESULT");
        await Task.Delay(2500);
        Assert.DoesNotContain(monitor.Recent, a => a.Kind is PositionWatch.OverCap or PositionWatch.NearLiquidation);

        await host.PinPriceAsync("ETHUSDT", 2_400m);
        await Eventually.TrueAsync(() => monitor.Recent.Any(a => a.Kind == PositionWatch.OverCap), "over cap");
        var overCap = Assert.Single(monitor.Recent, a => a.Kind == PositionWatch.OverCap);
        Assert.Equal(("capped", AnomalySeverity.Warning, "paper/default"), (overCap.Bot, overCap.Severity, overCap.Account));
        Assert.Contains("worth 1080", overCap.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(monitor.Recent, a => a.Kind == PositionWatch.NearLiquidation); // a cross position on a 10,000 USDT wallet is far from it
        Assert.Equal(HttpStatusCode.OK, (await capped.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.45&reduceOnly=true")).Status);
    }
}
