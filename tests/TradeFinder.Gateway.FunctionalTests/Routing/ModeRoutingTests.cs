using System.Net;
using System.Net.Http.Json;
using System.Text;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Routing;

/// <summary>
/// A standalone paper exchange stands in for the testnet and production hosts (through the loopback-only
/// override), accepting only the key of the mode under test, and journaling which key it received.
/// </summary>
public sealed class ModeRoutingTests
{
    private static readonly string LiveKey = "LIVEkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string LiveSecret = "LIVEsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetKey = "TESTNETkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetSecret = "TESTNETsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    [Fact]
    public async Task LiveGateway_SignsWithTheProductionKeyOnly_AndIgnoresTheTestnetKey()
    {
        await using var exchange = await StartExchangeAsync(LiveKey, LiveSecret);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TRADING_MODE"] = "live",
            ["BINANCE_API_KEY"] = LiveKey,
            ["BINANCE_SECRET"] = LiveSecret,
            ["BINANCE_TESTNET_API_KEY"] = TestnetKey,
            ["BINANCE_TESTNET_SECRET"] = TestnetSecret,
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "live"));

        using var response = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = exchange.Journal.Entries.Where(e => e.ApiKeyHeader is not null).Select(e => e.ApiKeyHeader!).Distinct().ToArray();
        Assert.Equal(new[] { LiveKey }, keys);
        Assert.DoesNotContain(exchange.Journal.Entries, e => (e.Query + e.Body + e.ApiKeyHeader).Contains("TESTNET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestnetGateway_SignsWithTheTestnetKeyOnly()
    {
        await using var exchange = await StartExchangeAsync(TestnetKey, TestnetSecret);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TRADING_MODE"] = "testnet",
            ["BINANCE_API_KEY"] = LiveKey,
            ["BINANCE_SECRET"] = LiveSecret,
            ["BINANCE_TESTNET_API_KEY"] = TestnetKey,
            ["BINANCE_TESTNET_SECRET"] = TestnetSecret,
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));

        using var response = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(exchange.Journal.Entries.Where(e => e.ApiKeyHeader is not null), e => Assert.Equal(TestnetKey, e.ApiKeyHeader));
        Assert.DoesNotContain(exchange.Journal.Entries, e => (e.Query + e.Body + e.ApiKeyHeader).Contains("LIVE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaperBotOnATestnetGateway_GoesToThePaperCluster_NotTheTestnetHost()
    {
        await using var exchange = await StartExchangeAsync(TestnetKey, TestnetSecret);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TRADING_MODE"] = "testnet",
            ["BINANCE_TESTNET_API_KEY"] = TestnetKey,
            ["BINANCE_TESTNET_SECRET"] = TestnetSecret,
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("paperbot", "paper"));
        exchange.Journal.Clear();

        using var response = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.PaperJournal.Entries, e => e.Path == "/fapi/v2/account" && e.Outcome == "ok");
        Assert.DoesNotContain(exchange.Journal.Entries, e => e.Path == "/fapi/v2/account");
    }

    [Fact]
    public async Task BotWhoseModeIsAboveTheGatewayMode_IsRefused_AndNothingIsForwarded()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var bot = host.CreateClient(await host.IssueBotAsync("eager", "live"));

        using var response = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("above this gateway's paper mode", (await response.Content.ReadFromJsonAsync<ExchangeError>())!.Message);
        Assert.Empty(host.PaperJournal.Entries);

        // An order is checked against exchange rules first: the bot learns its mode is not served, not "try again shortly".
        using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, order.StatusCode);
        Assert.Contains("live mode, which this gateway does not serve", (await order.Content.ReadFromJsonAsync<ExchangeError>())!.Message);
        Assert.Empty(host.PaperJournal.Entries);
    }

    private static Task<PaperExchangeServer> StartExchangeAsync(string key, string secret) =>
        PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(key, Encoding.UTF8.GetBytes(secret))],
            JournalEnabled = true,
        }, TimeProvider.System);
}
