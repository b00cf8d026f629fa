using System.Collections;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Bots.Client.Models;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Bots.Client.Tests;

/// <summary>Every client method against a paper-mode gateway over real mTLS, and the typed errors.</summary>
public sealed class GatewayClientSurfaceTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private ServiceProvider _services = null!;

    private IGatewayClient Client => _services.GetRequiredService<IGatewayClient>();

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        await _host.IssueBotAsync("alpha");
        await _host.IssueBotAsync("reader", scopes: "market:read,account:read");
        _services = Services("alpha");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }

    private ServiceProvider Services(string bot) => BotServices.For(_host, bot);

    [Fact]
    public async Task MarketData_IsTypedWithDecimals()
    {
        var info = await Client.GetExchangeInfoAsync();
        var btc = info.Find("BTCUSDT")!;
        var book = await Client.GetOrderBookAsync("BTCUSDT", 5);
        var klines = await Client.GetKlinesAsync("BTCUSDT", "1m", 10);
        var mark = await Client.GetMarkPriceAsync("BTCUSDT");
        var last = await Client.GetTickerPriceAsync("BTCUSDT");
        var day = await Client.GetTicker24hAsync("BTCUSDT");

        Assert.Equal("TRADING", btc.Status);
        Assert.True(btc.TickSize > 0 && btc.StepSize > 0 && btc.MinNotional > 0);
        Assert.Equal(btc.TickSize * 1234, btc.RoundPrice(btc.TickSize * 1234.7m));
        Assert.Equal(5, book.Bids.Count);
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        Assert.Equal(10, klines.Count);
        Assert.All(klines, k => Assert.True(k.Low <= k.Open && k.Open <= k.High && k.CloseTime > k.OpenTime));
        Assert.True(mark.Price > 0 && last.Price > 0 && day.LastPrice > 0);
    }

    [Fact]
    public async Task AccountBalancesAndPositions_AreRead()
    {
        var balances = await Client.GetBalancesAsync();
        var positions = await Client.GetPositionsAsync("BTCUSDT");

        Assert.Equal(10_000m, Assert.Single(balances, b => b.Asset == "USDT").WalletBalance);
        Assert.All(positions, p => Assert.Equal(0m, p.Quantity));
    }

    [Fact]
    public async Task Orders_PlaceQueryCancelBatchAndCancelAll()
    {
        // A fixed price: the post-only order below must still cross the ask it was priced at when it arrives.
        await _host.PinPriceAsync("BTCUSDT", 65_000m);
        var placed = await Client.PlaceOrderAsync(new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Limit) { Quantity = 0.01m, Price = 20_000m });
        var queried = await Client.GetOrderAsync("BTCUSDT", placed.ClientOrderId);
        var canceled = await Client.CancelOrderAsync("BTCUSDT", placed.ClientOrderId);
        var ask = (await Client.GetOrderBookAsync("BTCUSDT", 5)).Asks[0].Price;
        var batch = await Client.PlaceBatchOrdersAsync(
        [
            new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Limit) { Quantity = 0.01m, Price = 20_100m },
            new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Limit) { Quantity = 0.01m, Price = 20_200m },
            new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Limit) { Quantity = 0.01m, Price = ask, TimeInForce = TimeInForce.Gtx }, // post-only that would take
        ]);
        var open = await Client.GetOpenOrdersAsync("BTCUSDT");
        await Client.CancelAllOrdersAsync("BTCUSDT");

        Assert.StartsWith("tf-", placed.ClientOrderId);
        Assert.Equal(20_000m, placed.Price);
        Assert.Equal(placed.OrderId, queried.OrderId);
        Assert.Equal("CANCELED", canceled.Status);
        Assert.Equal(2, batch.Count(b => b.Order is not null));
        Assert.NotNull(batch[2].Error);
        Assert.Equal(2, open.Count);
        Assert.Empty(await Client.GetOpenOrdersAsync("BTCUSDT"));
    }

    [Fact]
    public async Task MarketOrder_OpensAPosition_AndAStopIsPlacedAsAConditionalOrder()
    {
        Assert.True(await Client.SetMarginTypeAsync("ETHUSDT", MarginType.Isolated));
        Assert.False(await Client.SetMarginTypeAsync("ETHUSDT", MarginType.Isolated));
        var leverage = await Client.SetLeverageAsync("ETHUSDT", 5);
        var filled = await Client.PlaceOrderAsync(new NewOrder("ETHUSDT", OrderSide.Buy, OrderType.Market) { Quantity = 1m });
        var stop = await Client.PlaceAlgoOrderAsync(new NewAlgoOrder("ETHUSDT", OrderSide.Sell, OrderType.StopMarket, 1_000m) { ClosePosition = true, WorkingType = WorkingType.MarkPrice });
        var openAlgos = await Client.GetOpenAlgoOrdersAsync("ETHUSDT");
        var position = Assert.Single(await Client.GetPositionsAsync("ETHUSDT"));
        await Client.CancelAlgoOrderAsync(stop.ClientAlgoId);
        var canceledStop = await Client.GetAlgoOrderAsync(stop.ClientAlgoId);

        Assert.Equal(5, leverage.Leverage);
        Assert.Equal("FILLED", filled.Status);
        Assert.Equal("NEW", stop.Status);
        Assert.Single(openAlgos);
        Assert.Equal(1m, position.Quantity);
        Assert.Equal("isolated", position.MarginType);
        Assert.Equal("CANCELED", canceledStop.Status);
    }

    [Fact]
    public async Task HedgeMode_IsReadAndSwitched()
    {
        Assert.False(await Client.GetHedgeModeAsync());
        Assert.True(await Client.SetHedgeModeAsync(true));
        Assert.True(await Client.GetHedgeModeAsync());
        Assert.False(await Client.SetHedgeModeAsync(true));
        Assert.True(await Client.SetHedgeModeAsync(false));
    }

    [Fact]
    public async Task ScopeDenial_IsAForbiddenException_WithTheExchangeCode()
    {
        await using var reader = Services("reader");

        var error = await Assert.ThrowsAsync<GatewayForbiddenException>(() =>
            reader.GetRequiredService<IGatewayClient>().PlaceOrderAsync(new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Market) { Quantity = 0.01m }));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("lacks scope 'trade'", error.ExchangeMessage);
    }

    [Fact]
    public async Task ValidationError_IsARejectedException_WithTheExchangeCode()
    {
        var error = await Assert.ThrowsAsync<GatewayRejectedException>(() =>
            Client.PlaceOrderAsync(new NewOrder("NOPEUSDT", OrderSide.Buy, OrderType.Market) { Quantity = 0.01m }));

        Assert.Equal(-1121, error.Code);
    }

    [Fact]
    public async Task RateLimitedRead_WaitsForRetryAfter_AndSucceeds()
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v2/balance", kind = "RateLimit", retryAfterSeconds = 1, count = 1 });

        var balances = await Client.GetBalancesAsync();

        Assert.NotEmpty(balances);
    }

    [Fact]
    public async Task RateLimitedOrder_IsNotRetried_ButSurfacesAsRateLimited()
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "POST", kind = "RateLimit", retryAfterSeconds = 1, count = 1 });
        _host.PaperJournal.Clear();

        var error = await Assert.ThrowsAsync<GatewayRateLimitedException>(() =>
            Client.PlaceOrderAsync(new NewOrder("BTCUSDT", OrderSide.Buy, OrderType.Limit) { Quantity = 0.01m, Price = 20_000m }));

        Assert.Equal(ExchangeErrorCodes.TooManyRequests, error.Code);
        Assert.NotNull(error.RetryAfter);
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/order");
    }

    [Theory]
    [InlineData("BINANCE_API_KEY")]
    [InlineData("BINANCE_SECRET")]
    [InlineData("BINANCE_TESTNET_API_KEY")]
    [InlineData("BINANCE_TESTNET_SECRET")]
    [InlineData("BINANCE_PRIVATE_KEY_FILE")]
    [InlineData("binance_api_secret")]
    public void KeylessGuard_NamesKeyVariables_NeverTheirValues(string variable)
    {
        var value = "canary" + Guid.NewGuid().ToString("N");
        var environment = new Hashtable { [variable] = value, ["PATH"] = "/usr/bin", ["BINANCE_BASE_URL"] = "https://example" };

        var error = Assert.Throws<InvalidOperationException>(() => KeylessGuard.EnsureNoExchangeKeys(environment));

        Assert.Contains(variable, error.Message);
        Assert.DoesNotContain(value, error.Message);
        Assert.Equal([variable], KeylessGuard.FindKeyVariables(environment));
    }

    [Fact]
    public void KeylessGuard_IgnoresEmptyAndUnrelatedVariables()
    {
        var environment = new Hashtable { ["BINANCE_API_KEY"] = "", ["TRADEFINDERGATEWAY__BASEADDRESS"] = "https://127.0.0.1:8443/", ["KEYBOARD"] = "us" };

        Assert.Empty(KeylessGuard.FindKeyVariables(environment));
    }

    [Fact]
    public void NoPublicMemberInTheClient_TakesOrHoldsAKeyOrSecret()
    {
        var names = typeof(IGatewayClient).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers().Select(m => m.Name)
                .Concat(t.GetMethods().SelectMany(m => m.GetParameters()).Select(p => p.Name ?? "")))
            .Select(n => n.ToUpperInvariant());

        Assert.DoesNotContain(names, n => n.Contains("APIKEY") || n.Contains("SECRET") || n.Contains("SIGNATURE"));
    }
}
