using System.Text;
using Npgsql;
using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Audit;

/// <summary>
/// A live-mode gateway whose production key and secret are recognisable canaries, logging at the most
/// verbose level, auditing to PostgreSQL: after the end-to-end flows (reads, orders, cancels, refusals,
/// upstream failures, handshake refusals) neither canary appears in any response, log line, file or table.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class CanarySecretTests(PostgresFixture postgres)
{
    private static readonly string CanaryKey = "CANARYkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string CanarySecret = "CANARYsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    [Fact]
    public async Task CanarySecret_AppearsNowhere_AfterTheEndToEndFlows()
    {
        await using var exchange = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(CanaryKey, Encoding.UTF8.GetBytes(CanarySecret))],
            JournalEnabled = true,
            Faults = [new FaultRule { PathPattern = "/fapi/v1/premiumIndex", Kind = FaultKind.Status, Status = 500, Count = 1 }],
        }, TimeProvider.System);
        var auditDb = await postgres.Server.CreateDatabaseAsync();
        var responses = new StringBuilder();
        var dataDir = TempDirectory.Create("tf-canary");
        await using (var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>(GatewayTestHost.EverythingLogged)
        {
            ["TRADING_MODE"] = "live",
            ["BINANCE_API_KEY"] = CanaryKey,
            ["BINANCE_SECRET"] = CanarySecret,
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
            ["Gateway:Audit:Store"] = "postgres",
            ["Gateway:Audit:ConnectionString"] = auditDb,
        }, dataDir))
        {
            using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "live"));
            async Task CallAsync(HttpMethod method, string path)
            {
                using var response = await bot.SendAsync(new HttpRequestMessage(method, path));
                responses.Append(await response.Content.ReadAsStringAsync()).Append(string.Join(",", response.Headers.SelectMany(h => h.Value)));
            }

            await CallAsync(HttpMethod.Get, "fapi/v2/account");
            await CallAsync(HttpMethod.Get, "fapi/v1/premiumIndex?symbol=BTCUSDT");
            await CallAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=40000&newClientOrderId=canary-1");
            await CallAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=canary-1");
            await CallAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=canary-1");
            await CallAsync(HttpMethod.Post, "fapi/v1/order?symbol=NOPE&side=BUY&type=MARKET&quantity=1");
            await CallAsync(HttpMethod.Get, "sapi/v1/capital/config/getall");
            await CallAsync(HttpMethod.Get, $"fapi/v2/account?signature={CanarySecret}&apiKey={CanaryKey}");
            using var foreign = host.CreateClient(TestCertificates.CreateForeignClientCertificate("intruder"));
            await Assert.ThrowsAsync<HttpRequestException>(() => foreign.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));
            var (_, cliOut, cliErr) = await host.CliAsync("audit", "verify");
            responses.Append(cliOut).Append(cliErr);
            Assert.Contains(exchange.Journal.Entries, e => e.ApiKeyHeader == CanaryKey && e.Path == "/fapi/v1/order" && e.Outcome == "ok");
        }

        // The flows really ran: orders reached the exchange with the canary key (the only place it may go).
        Assert.Contains("canary-1", responses.ToString());

        Assert.DoesNotContain(CanarySecret, responses.ToString());
        Assert.DoesNotContain(CanaryKey, responses.ToString());
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var text = Encoding.UTF8.GetString(bytes);
            Assert.False(text.Contains(CanarySecret, StringComparison.Ordinal), "canary secret found in " + file);
            Assert.False(text.Contains(CanaryKey, StringComparison.Ordinal), "canary key found in " + file);
        }

        var logs = Directory.EnumerateFiles(Path.Combine(dataDir, "logs")).Select(File.ReadAllText).ToArray();
        Assert.Contains(logs, l => l.Contains("signature=***", StringComparison.Ordinal));

        await using var connection = new NpgsqlConnection(auditDb);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(concat_ws('|', event_type, bot, endpoint, outcome, details), E'\\n') FROM audit_events", connection);
        var table = (string?)await command.ExecuteScalarAsync() ?? "";
        Assert.Contains("POST /fapi/v1/order", table);
        Assert.DoesNotContain(CanarySecret, table);
        Assert.DoesNotContain(CanaryKey, table);
        TempDirectory.Delete(dataDir);
    }
}
