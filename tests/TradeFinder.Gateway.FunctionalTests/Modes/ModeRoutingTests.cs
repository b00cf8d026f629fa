using System.Net;
using System.Net.Http.Json;
using System.Text;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Modes;

/// <summary>
/// A standalone paper exchange stands in for the testnet and production hosts (through the loopback-only
/// override), accepting only the key of the mode under test, and journaling which key it received.
/// </summary>
public sealed class ModeRoutingTests
{
    private const string LiveKey = "LIVEkey7f3a9c2e8b1d4f6a0c5e7b9d2f4a6c8e0b1d3f5a7c9e";
    private const string LiveSecret = "LIVEsecret4b8d2f6a0c4e8b2d6f0a4c8e2b6d0f4a8c2e6b0d";
    private const string TestnetKey = "TESTNETkey1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1";
    private const string TestnetSecret = "TESTNETsecret9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1";

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
    }

    private static Task<PaperExchangeServer> StartExchangeAsync(string key, string secret) =>
        PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(key, Encoding.UTF8.GetBytes(secret))],
            JournalEnabled = true,
        }, TimeProvider.System);
}
