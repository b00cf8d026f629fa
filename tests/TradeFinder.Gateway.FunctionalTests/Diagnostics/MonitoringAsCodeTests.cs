using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Diagnostics;

/// <summary>
/// The alerting rules and dashboards in <c>infra/</c> are code: promtool checks the configuration and runs the rules'
/// unit tests, and every metric they name is one a running gateway really exports (scraped after traffic that makes
/// each instrument report).
/// </summary>
[Collection(ExportedMetricsCollection.Name)]
public sealed partial class MonitoringAsCodeTests
{
    private static readonly string Prometheus = Path.Combine(SourceTree.Root, "infra", "prometheus");

    [Fact]
    public async Task AlertRules_PassPromtoolsConfigCheck_AndTheirUnitTests()
    {
        var (configCode, configOutput) = await PromtoolAsync("check", "config", "prometheus.yml");
        Assert.True(configCode == 0, configOutput);
        var (testCode, testOutput) = await PromtoolAsync("test", "rules", "alerts.test.yml");
        Assert.True(testCode == 0, testOutput);
    }

    [Fact]
    public async Task EveryMetricTheRulesAndDashboardsName_IsExportedByARunningGateway()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:ProbingRefusalsPerMinute"] = "2",
            ["Gateway:Resilience:MinimumThroughput"] = "4",
        });
        var certificate = await host.IssueBotAsync("metrics");
        using var bot = host.CreateClient(certificate);
        using var reader = host.CreateClient(await host.IssueBotAsync("reader", scopes: "market:read"));

        // Traffic that makes every instrument report: refusals and an anomaly, a user-data and a market stream, a
        // breaker that opens.
        for (var i = 0; i < 3; i++)
        {
            await reader.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01");
        }

        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000")).Status);
        using var keyResponse = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null);
        using var market = await host.ConnectWebSocketAsync("ws/btcusdt@aggTrade", certificate);
        await new SocketMessages(market).NextAsync(TimeSpan.FromSeconds(10));
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v2/account", kind = "Status", status = 503 });
        for (var i = 0; i < 6; i++)
        {
            using var failing = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        }

        using var ops = host.CreateOpsClient();
        var scraped = await ops.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var exported = MetricName().Matches(scraped).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        var named = new[] { Path.Combine(Prometheus, "alerts.yml") }
            .Concat(Directory.GetFiles(Path.Combine(SourceTree.Root, "infra", "grafana", "dashboards"), "*.json"))
            .SelectMany(file => MetricName().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Metric: m.Value)))
            .ToList();
        Assert.NotEmpty(named);
        Assert.Empty(named.Where(n => !exported.Contains(n.Metric)).Select(n => $"{n.File}: {n.Metric}").Distinct());
        await market.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task ARealPrometheus_ScrapesTheGateway_AndEvaluatesTheRulesOnIt()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var dir = TempDirectory.Create("tf-prometheus");
        var port = TestPorts.Next();
        await File.WriteAllTextAsync(Path.Combine(dir, "prometheus.yml"), $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {{Path.Combine(Prometheus, "alerts.yml")}}
            scrape_configs:
              - job_name: tradefinder-gateway
                static_configs:
                  - targets: ["127.0.0.1:{{host.OpsAddress.Port}}"]
            """);
        var start = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--config.file=" + Path.Combine(dir, "prometheus.yml"), "--storage.tsdb.path=" + Path.Combine(dir, "data"), $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var prometheus = Process.Start(start)!;
        _ = prometheus.StandardOutput.ReadToEndAsync();
        _ = prometheus.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            string? result = null;
            for (var i = 0; i < 60 && result is null; i++)
            {
                await Task.Delay(500);
                try
                {
                    var answer = await http.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString("max(tradefinder_gateway_audit_store_available)"), UriKind.Relative));
                    result = answer.Contains("\"value\":[", StringComparison.Ordinal) ? answer : null;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            Assert.NotNull(result);
            Assert.Contains("\"1\"]", result, StringComparison.Ordinal); // the audit store is up
            var rules = await http.GetStringAsync(new Uri("api/v1/rules", UriKind.Relative));
            Assert.Contains("\"name\":\"tradefinder-gateway\"", rules, StringComparison.Ordinal);
            Assert.DoesNotContain("\"health\":\"err\"", rules, StringComparison.Ordinal);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            TempDirectory.Delete(dir);
        }
    }

    [Fact]
    public async Task TheScrape_CarriesThePlatformsInstruments_AndTheGatewaysFactsPerBotModeAndKeySet()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var bot = host.CreateClient(await host.IssueBotAsync("facts"));
        await host.IssueBotAsync("idle");
        await host.IssueAdminAsync("sre"); // the CLI's reduce goes through the admin API
        using (var time = await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
            time.EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000")).Status);
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Get, "fapi/v2/account")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=UP&type=LIMIT")).Status);

        Assert.Equal(0, (await host.CliAsync("reduce", "--bot", "idle")).ExitCode);
        using var ops = host.CreateOpsClient();
        var scraped = await ops.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.Contains("http_server_request_duration_seconds_bucket", scraped, StringComparison.Ordinal); // ASP.NET Core
        Assert.Contains("kestrel_active_connections", scraped, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds_bucket", scraped, StringComparison.Ordinal); // the upstream calls
        Assert.Matches(@"tradefinder_gateway_bot_trading_state\{[^}]*bot=""facts""[^}]*\} 0", scraped);
        Assert.Matches(@"tradefinder_gateway_bot_trading_state\{[^}]*bot=""idle""[^}]*\} 1", scraped);
        Assert.Matches(@"tradefinder_gateway_bot_last_seen_age_seconds\{[^}]*bot=""facts""", scraped);
        Assert.DoesNotMatch(@"tradefinder_gateway_bot_last_seen_age_seconds\{[^}]*bot=""idle""", scraped);
        Assert.Matches(@"tradefinder_gateway_budget_weight_limit\{[^}]*mode=""paper""[^}]*\} \d+", scraped);
        Assert.Matches(@"tradefinder_gateway_key_age_seconds\{[^}]*set=""", scraped);

        // Decisions per bot, scope and outcome; its orders; its own quota: an account read (weight 5) and an order.
        Assert.Matches(@"tradefinder_gateway_decisions_total\{[^}]*bot=""facts""[^}]*outcome=""forwarded""[^}]*scope=""trade""[^}]*\} 1\b", scraped);
        Assert.Matches(@"tradefinder_gateway_decisions_total\{[^}]*bot=""facts""[^}]*outcome=""denied""[^}]*scope=""trade""[^}]*\} 1\b", scraped);
        Assert.Matches(@"tradefinder_gateway_orders_total\{[^}]*bot=""facts""[^}]*\} 1\b", scraped);
        Assert.Matches(@"tradefinder_gateway_bot_weight_used\{[^}]*bot=""facts""[^}]*mode=""paper""[^}]*\} ([5-9]|\d\d)\b", scraped);
        Assert.Matches(@"tradefinder_gateway_bot_orders_10s_quota\{[^}]*bot=""facts""[^}]*\} \d+", scraped);
    }

    [Fact]
    public async Task WithAnOtlpEndpoint_RequestsAreTraced_AndTheAuditRecordNamesTheTrace()
    {
        using var collector = new HttpCollector("otlp");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("traced"));
        using (var time = await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
            time.EnsureSuccessStatusCode();
        }

        // The trace stays ours: the exchange gets no trace or baggage header, whether the bot sent one or not.
        using (var balance = new HttpRequestMessage(HttpMethod.Get, "fapi/v2/balance"))
        {
            balance.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            using var answer = await bot.SendAsync(balance);
            answer.EnsureSuccessStatusCode();
        }

        Assert.Contains(host.PaperJournal.Entries, e => e.Path == "/fapi/v2/balance");
        Assert.All(host.PaperJournal.Entries, e => Assert.False((e.HeaderNames ?? []).Any(
            h => h.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || h.Equals("tracestate", StringComparison.OrdinalIgnoreCase)
              || h.Equals("baggage", StringComparison.OrdinalIgnoreCase) || h.Equals("Request-Id", StringComparison.OrdinalIgnoreCase)), $"{e.Path}: {string.Join(", ", e.HeaderNames ?? [])}"));

        await host.IssueAdminAsync("sre");
        var (_, tail, _) = await host.CliAsync("audit", "tail", "--bot", "traced", "-n", "1");
        var traceId = TraceId().Match(tail).Groups[1].Value;
        Assert.Equal(32, traceId.Length);

        // The server span of that request (and the upstream call's client span) reach the collector under the same trace.
        var wanted = Convert.FromHexString(traceId);
        await Eventually.TrueAsync(() => collector.ReceivedBytes.Any(r => r.Path.EndsWith("/v1/traces", StringComparison.Ordinal) && r.Body.AsSpan().IndexOf(wanted) >= 0),
            "the request's trace is exported", seconds: 20);
        Assert.Contains(collector.ReceivedBytes, r => r.Path.EndsWith("/v1/traces", StringComparison.Ordinal) && r.Body.AsSpan().IndexOf("tradefinder-gateway"u8) >= 0);

        // Spans carry no credential: query strings are redacted, headers are not recorded.
        var exported = string.Concat(collector.Received);
        Assert.DoesNotMatch("signature=[0-9a-fA-F]{16}", exported);
        Assert.DoesNotContain("X-MBX-APIKEY", exported, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("promtool") { WorkingDirectory = Prometheus, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("promtool is missing: install Debian's prometheus package (the test command does when run as root)");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
    }

    [GeneratedRegex("\"traceId\":\"([0-9a-f]{32})\"")]
    private static partial Regex TraceId();

    [GeneratedRegex(@"\btradefinder_[a-z_]+[a-z]\b")]
    private static partial Regex MetricName();
}
