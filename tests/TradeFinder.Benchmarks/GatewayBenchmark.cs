using Microsoft.AspNetCore.Http;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Validation;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// The cost of the local checks (identity lookup, scope and state, parameter validation) per request, and
/// how many requests/s the gateway refuses locally over real mTLS (what a misbehaving bot can throw at it).
/// </summary>
public static class GatewayBenchmark
{
    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| measurement | result |", "|---|---:|" };
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error", ["Serilog:MinimumLevel:Default"] = "Error", ["Gateway:PaperWeightPerMinute"] = "100000000" });
        var certificate = await host.IssueBotAsync("bench", scopes: "market:read,account:read");

        rows.Add($"| identity lookup (registry, incl. change check) | {Measure.Micro(() => host.Services.GetRegistry().FindByCertificate(certificate), 200_000):N2} µs |");
        var rules = HotPathBenchmark.PaperRules();

        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=65000.1&newClientOrderId=bench-1");
        var policies = new BotPolicies(new Dictionary<string, ConfiguredBot>());
        var record = new BotRecord { Name = "bench", CertificateSha256 = "x", Scopes = ["trade"] };
        rows.Add($"| parse + scope + validate a LIMIT order | {Measure.Micro(() =>
        {
            var request = HotPathBenchmark.Read(context.Request);
            var bot = policies.Resolve(record, TradingState.Active);
            _ = bot.Scopes.Contains("trade");
            return RequestValidator.Validate("POST", "/fapi/v1/order", request, TradingMode.Paper, rules);
        }, 200_000):N2} µs |");

        using var client = TestHttp.CreateMutualTlsClient(host.BotsAddress, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(host.CaCertificatePath), certificate);
        var refused = await LoadRunner.RunAsync("POST order without trade scope (refused locally, audited)", 32, duration, async (_, _) =>
        {
            using var response = await client.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01", UriKind.Relative), null).ConfigureAwait(false);
            return (int)response.StatusCode == 403;
        });
        rows.Add($"| locally refused orders over mTLS, 32 connections (no trade scope; audited) | {refused.Summary} |");
        var forwarded = await LoadRunner.RunAsync("GET /fapi/v1/time forwarded to the paper exchange", 32, duration, async (_, _) =>
        {
            using var response = await client.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
        rows.Add($"| forwarded GET /fapi/v1/time over mTLS to the paper exchange, 32 connections (audited) | {forwarded.Summary} |");
        return rows;
    }

    /// <summary>
    /// Only the locally refused load (the #5 target), each run after a warm-up; afterwards
    /// the audit queue is drained and the trail must hold one row per answered request, so a fast figure cannot
    /// come from records left behind.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RefusalsAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| audit store | load | result |", "|---|---|---:|" };
        rows.AddRange(await RefusalsAsync("SQLite (default)", [], [(8, 16), (16, 32), (2, 16)], duration));
        await using var postgres = await PostgresServer.ForTestsAsync();
        rows.AddRange(await RefusalsAsync("PostgreSQL 15 (loopback)",
            new() { ["Gateway:Audit:Store"] = "postgres", ["Gateway:Audit:ConnectionString"] = await postgres.CreateDatabaseAsync() }, [(8, 16)], duration));
        return rows;
    }

    private static async Task<IEnumerable<string>> RefusalsAsync(string store, Dictionary<string, string?> settings, (int Connections, int Depth)[] loads, TimeSpan duration)
    {
        var rows = new List<string>();
        settings["Logging:LogLevel:Default"] = "Error";
        settings["Serilog:MinimumLevel:Default"] = "Error";

        // Two connections carry over 10,000 requests a second each: the per-connection rate (a CPU guard, answered 429)
        // would refuse part of them before the step measured here.
        settings["Gateway:Limits:MaxRequestsPerSecondPerConnection"] = "1000000";
        await using var host = await GatewayTestHost.StartAsync(settings);
        var certificate = await host.IssueBotAsync("bench", scopes: "market:read,account:read");
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(host.CaCertificatePath);
        const string Request = "POST /fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
        var audit = (IAuditStore)host.Services.GetService(typeof(IAuditStore))!;
        var trail = (AuditTrail)host.Services.GetService(typeof(AuditTrail))!;
        // Under full load the tiered JIT's background compiles compete with the requests: a cold process took
        // about 12 s here to reach its steady rate, so the first load warms up for 15 s.
        var warmUp = TimeSpan.FromSeconds(15);
        foreach (var (connections, depth) in loads)
        {
            await DrainAsync(trail);
            var before = (await audit.TailAsync(CancellationToken.None)).Sequence;
            var pipelined = await PipelinedLoad.RunAsync(host.BotsAddress, ca, certificate, Request, "403", connections, depth, duration, warmUp);
            warmUp = TimeSpan.FromSeconds(3);
            await DrainAsync(trail);
            var audited = (await audit.TailAsync(CancellationToken.None)).Sequence - before;
            rows.Add($"| {store} | {connections} connections × {depth} in flight | {pipelined.PerSecond:N0} req/s ({pipelined.Unexpected} not 403; {audited:N0} audit rows stored for {pipelined.AnsweredInAll:N0} answers) |");
        }

        return rows;
    }

    /// <summary>
    /// Cached market data at full speed: one bot polling a cached book (and eight bots sharing it) pipelined over mTLS;
    /// a cache hit costs no exchange weight, so nothing but the gateway's own work limits the rate.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CachedAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| load | answers/s | not 200 | upstream calls |", "|---|---:|---:|---:|" };
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Gateway:Budgets:PerBotMarketDataRequestsPerSecond"] = "1000000",
        });
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(host.CaCertificatePath);
        const string Request = "GET /fapi/v1/depth?symbol=BTCUSDT&limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        var warmUp = TimeSpan.FromSeconds(15);
        foreach (var (bots, connections, depth) in new[] { (1, 8, 16), (8, 2, 16) })
        {
            var certificates = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
            for (var b = 0; b < bots; b++)
            {
                certificates.Add(await host.IssueBotAsync($"poll{bots}-{b}", scopes: "market:read"));
            }

            host.PaperJournal.Clear();
            var loads = await Task.WhenAll(certificates.Select(c => PipelinedLoad.RunAsync(host.BotsAddress, ca, c, Request, "200", connections, depth, duration, warmUp)));
            warmUp = TimeSpan.FromSeconds(3);
            var upstream = host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/depth");
            rows.Add($"| {bots} bot(s) × {connections} connections × {depth} in flight, GET depth (cached 250 ms) | {loads.Sum(l => l.PerSecond):N0} | {loads.Sum(l => l.Unexpected)} | {upstream} |");
        }

        return rows;
    }

    private static async Task DrainAsync(AuditTrail trail)
    {
        while (trail.Reader.Count > 0)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500); // the last batch's commit
    }

    private static BotRegistry GetRegistry(this IServiceProvider services) => (BotRegistry)services.GetService(typeof(BotRegistry))!;
}
