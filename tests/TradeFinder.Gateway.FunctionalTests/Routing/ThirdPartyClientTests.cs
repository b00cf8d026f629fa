using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Routing;

/// <summary>
/// Drop-in compatibility: widely used Binance clients from npm (ccxt and tiagosiebler's <c>binance</c>), changed
/// only to connect to the gateway with the bot's client certificate and holding dummy keys, load markets, read
/// a ticker and the balance, place and cancel an order. The exchange sees only the gateway's key and signature.
/// The packages come from <c>tests/compat</c> (<c>npm ci</c>, run by the test command).
/// </summary>
public sealed class ThirdPartyClientTests
{
    [Theory]
    [InlineData("ccxt-drop-in.mjs")]
    [InlineData("binance-drop-in.mjs")]
    public async Task UnchangedThirdPartyClient_WithADummyKey_TradesThroughTheGateway(string script)
    {
        await using var host = await GatewayTestHost.StartAsync();
        var (code, output, error) = await RunAsBotAsync(host, "thirdparty", script);

        Assert.True(code == 0, error);
        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = result.RootElement;
        Assert.True(r.TryGetProperty("markets", out var markets) ? markets.GetInt32() > 0 : r.GetProperty("symbols").GetInt32() > 0);
        Assert.True(r.GetProperty("last").GetDouble() > 0);
        Assert.Equal(10_000, r.GetProperty("usdt").GetDouble());
        Assert.Contains(r.GetProperty("orderStatus").GetString(), new[] { "open", "NEW" });
        Assert.Contains(r.GetProperty("canceledStatus").GetString(), new[] { "canceled", "CANCELED" });

        var signed = host.PaperJournal.Entries.Where(e => e.ApiKeyHeader is not null).ToArray();
        Assert.Contains(signed, e => e.Method == "POST" && e.Path == "/fapi/v1/order" && e.Outcome == "ok");
        Assert.All(signed, e =>
        {
            Assert.StartsWith("paper-", e.ApiKeyHeader);
            Assert.DoesNotContain("dummy", e.Query + e.Body, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("ccxt-streams.mjs")]
    [InlineData("binance-streams.mjs")]
    public async Task UnchangedThirdPartyStreamClient_ReadsMarketDataAndItsOwnOrderEvents_ThroughTheGateway(string script)
    {
        await using var host = await GatewayTestHost.StartAsync();
        var (code, output, error) = await RunAsBotAsync(host, "streamer", script);

        Assert.True(code == 0, error + output);
        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = result.RootElement;
        if (script.StartsWith("ccxt", StringComparison.Ordinal))
        {
            Assert.True(r.GetProperty("tickerLast").GetDouble() > 0);
            Assert.True(r.GetProperty("bookLevels").GetInt32() > 0);
            Assert.False(r.GetProperty("bookCrossed").GetBoolean());
            Assert.Equal(r.GetProperty("orderId").GetString(), r.GetProperty("watchedOrderId").GetString());
            Assert.Equal("open", r.GetProperty("watchedStatus").GetString());
        }
        else
        {
            Assert.Equal("BTCUSDT", r.GetProperty("aggTradeSymbol").GetString());
            Assert.Equal(("ORDER_TRADE_UPDATE", "NEW", "npm-ws-1"),
                (r.GetProperty("orderEvent").GetString(), r.GetProperty("orderStatus").GetString(), r.GetProperty("clientOrderId").GetString()));
        }

        // Each stream was subscribed upstream by the gateway, under its own listen key.
        Assert.Contains(host.PaperJournal.Entries, e => e is { Method: "POST", Path: "/fapi/v1/listenKey" } && e.ApiKeyHeader!.StartsWith("paper-", StringComparison.Ordinal));
    }

    /// <summary>Issues a bot and runs <paramref name="script"/> with its certificate against the gateway.</summary>
    private static async Task<(int Code, string Output, string Error)> RunAsBotAsync(GatewayTestHost host, string bot, string script)
    {
        await host.IssueBotAsync(bot);
        var certs = Path.Combine(host.DataDir, "certs", "bots", bot);
        return await CompatScripts.RunAsync(script, new Dictionary<string, string>
        {
            ["GATEWAY"] = host.BotsAddress.ToString(),
            ["CA"] = host.CaCertificatePath,
            ["CERT"] = Path.Combine(certs, bot + ".crt"),
            ["KEY"] = Path.Combine(certs, bot + ".key"),
        });
    }
}
