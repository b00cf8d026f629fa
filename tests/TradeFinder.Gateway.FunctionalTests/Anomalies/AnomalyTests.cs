using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Anomalies;

/// <summary>
/// Detectors against scripted scenarios on the paper exchange: orders no bot placed (the key used elsewhere) halt every
/// bot; a bot probing what it may do is flagged, then quarantined; each incident is one alert on the webhook, audited.
/// </summary>
public sealed class AnomalyTests
{
    [Fact]
    public async Task OrdersNobodyPlacedThroughTheGateway_HaltEveryBot_WithOneAlertPerIncident_Audited()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString() });
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        await host.IssueAdminAsync("sre"); // the CLI's audit tail asks the admin API
        var streams = host.Services.GetRequiredService<TradeFinder.Gateway.Streams.UserStreams>();
        await Eventually.TrueAsync(
            () => streams.Accounts.Any(a => a.KeyCreatedAt is not null), "the account's stream is watched without any bot asking", seconds: 30,
            explain: () => $"accounts: {streams.Accounts.Count}, failed attempts to open the stream: {string.Join(", ", streams.Accounts.Select(a => a.Reconnects))}");
        await Task.Delay(500);

        // The bot's own order is not foreign.
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000")).Status);
        await Task.Delay(1500);
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        Assert.Empty(monitor.Recent);

        // Someone else uses the key: two orders, one incident.
        await host.PlaceExternalOrderAsync("symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01&price=200000");
        await host.PlaceExternalOrderAsync("symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.1&price=90000");
        await Eventually.TrueAsync(() => !webhook.Received.IsEmpty, "an alert is posted");
        await monitor.Responses;
        await Task.Delay(1500);

        var anomaly = Assert.Single(monitor.Recent);
        Assert.Equal((AnomalyMonitor.ForeignActivity, AnomalySeverity.Critical), (anomaly.Kind, anomaly.Severity));
        Assert.Contains("web_", anomaly.Evidence, StringComparison.Ordinal);
        Assert.True(anomaly.Repeats >= 1);
        var alert = JsonDocument.Parse(Assert.Single(webhook.Received)).RootElement;
        Assert.Equal(("foreign_activity", "critical"), (alert.GetProperty("kind").GetString(), alert.GetProperty("severity").GetString()));
        Assert.Equal(TradingState.Halted, host.Services.GetRequiredService<BotRegistry>().GlobalState);
        var (status, _) = await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000");
        Assert.NotEqual(HttpStatusCode.OK, status);

        var (_, audit, error) = await host.CliAsync("audit", "tail", "--type", "anomaly");
        Assert.True(audit.Contains("foreign_activity", StringComparison.Ordinal), error);
        Assert.Contains("HALTED", (await host.CliAsync("audit", "tail", "--type", "halt")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABotProbingItsScopes_IsFlagged_ThenQuarantined_AndResumeUndoesIt()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString(),
            ["Gateway:Anomalies:WebhookFormat"] = "slack",
            ["Gateway:Anomalies:ProbingRefusalsPerMinute"] = "5",
        });
        using var prober = host.CreateClient(await host.IssueBotAsync("prober", scopes: "market:read"));
        using var quiet = host.CreateClient(await host.IssueBotAsync("quiet"));
        var sre = await host.IssueAdminAsync("sre");
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await prober.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01")).Status);
        }

        await Eventually.TrueAsync(() => webhook.Received.Count == 1, "one alert for the warning");
        Assert.Equal(TradingState.Active, host.Services.GetRequiredService<BotRegistry>().FindByName("prober")!.State);
        for (var i = 0; i < 12; i++)
        {
            await prober.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01");
        }

        await Eventually.TrueAsync(() => webhook.Received.Count == 2, "one more alert for the critical");
        await monitor.Responses;
        Assert.Equal([AnomalySeverity.Warning, AnomalySeverity.Critical], monitor.Recent.Select(a => a.Severity));
        Assert.All(monitor.Recent, a => Assert.Equal(("probing", "prober"), (a.Kind, a.Bot)));
        Assert.StartsWith("{\"text\":\"[CRITICAL] probing bot=prober", webhook.Received.Last(), StringComparison.Ordinal);
        Assert.Equal(TradingState.Reducing, host.Services.GetRequiredService<BotRegistry>().FindByName("prober")!.State);
        Assert.Equal(TradingState.Active, host.Services.GetRequiredService<BotRegistry>().FindByName("quiet")!.State);

        var (code, _, resumeError) = await host.CliAsync("resume", "--bot", "prober");
        Assert.True(code == 0, resumeError);
        Assert.Equal(TradingState.Active, host.Services.GetRequiredService<BotRegistry>().FindByName("prober")!.State);
        using var admin = host.CreateAdminClient(sre);
        using var anomalies = await admin.GetAsync(new Uri("admin/anomalies", UriKind.Relative));
        Assert.Equal(2, JsonDocument.Parse(await anomalies.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Quarantine_IsConfigurablePerBot_AtStartAndAtRunTime()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:ProbingRefusalsPerMinute"] = "2",
            ["Gateway:Anomalies:BotQuarantine:strict"] = "halted",
        });
        var clients = new Dictionary<string, HttpClient>();
        foreach (var name in new[] { "strict", "lenient", "default" })
        {
            clients[name] = host.CreateClient(await host.IssueBotAsync(name, scopes: "market:read"));
        }

        using var admin = host.CreateAdminClient(await host.IssueAdminAsync("sre"));
        using (var refused = await admin.PutAsJsonAsync(new Uri("admin/anomalies/settings", UriKind.Relative), new { botQuarantine = new Dictionary<string, string> { ["lenient"] = "ignore" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var changed = await admin.PutAsJsonAsync(new Uri("admin/anomalies/settings", UriKind.Relative), new { botQuarantine = new Dictionary<string, string> { ["lenient"] = "none" } }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal("none", JsonDocument.Parse(await changed.Content.ReadAsStringAsync()).RootElement.GetProperty("botQuarantine").GetProperty("lenient").GetString());
        }

        foreach (var client in clients.Values)
        {
            for (var i = 0; i < 6; i++) // three times the threshold: critical
            {
                await client.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01");
            }
        }

        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        await Eventually.TrueAsync(() => monitor.Recent.Count(a => a.Severity == AnomalySeverity.Critical) == 3, "each bot's probing critical");
        await monitor.Responses;
        var registry = host.Services.GetRequiredService<BotRegistry>();
        Assert.Equal(TradingState.Halted, registry.FindByName("strict")!.State);
        Assert.Equal(TradingState.Active, registry.FindByName("lenient")!.State);
        Assert.Equal(TradingState.Reducing, registry.FindByName("default")!.State);
        Assert.Null(monitor.Recent.Single(a => a.Severity == AnomalySeverity.Critical && a.Bot == "lenient").Action);
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task ThresholdsChangeAtRunTime_AndASilentBotIsReported()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString() });
        using var heart = host.CreateClient(await host.IssueBotAsync("heart", scopes: "market:read"));
        using var admin = host.CreateAdminClient(await host.IssueAdminAsync("sre"));

        using (var refused = await admin.PutAsJsonAsync(new Uri("admin/anomalies/settings", UriKind.Relative), new { quarantine = "explode" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var changed = await admin.PutAsJsonAsync(new Uri("admin/anomalies/settings", UriKind.Relative), new { probingRefusalsPerMinute = 2, heartbeatSeconds = new Dictionary<string, int> { ["heart"] = 2 } }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal(2, JsonDocument.Parse(await changed.Content.ReadAsStringAsync()).RootElement.GetProperty("heartbeatSeconds").GetProperty("heart").GetInt32());
        }

        // The new probing threshold holds at once.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await heart.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01")).Status);
        }

        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        await Eventually.TrueAsync(() => monitor.Recent.Any(a => a.Kind == AnomalyMonitor.Probing), "probing reported at the new threshold");

        // Then the bot goes quiet for longer than its heartbeat.
        await Eventually.TrueAsync(() => monitor.Recent.Any(a => a.Kind == "silent" && a.Bot == "heart"), "a silent bot is reported");
        await Eventually.TrueAsync(() => webhook.Received.Any(r => r.Contains("\"silent\"", StringComparison.Ordinal)), "and alerted");
        Assert.Contains("expected at least every 2 s", monitor.Recent.Single(a => a.Kind == "silent").Evidence, StringComparison.Ordinal);
        var (_, audit, _) = await host.CliAsync("audit", "tail", "--type", "admin");
        Assert.Contains("anomaly thresholds changed", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersOutsideABotsHabits_AreReported_AndOnlyWarningsAreAlerted()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString() });
        using var bot = host.CreateClient(await host.IssueBotAsync("habits"));
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        const string Resting = "fapi/v1/order?symbol={0}&side=BUY&type=LIMIT&timeInForce=GTC&quantity={1}&price={2}";

        for (var i = 0; i < OrderBehaviourDetector.History; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, Resting, "BTCUSDT", "0.01", "20000"))).Status);
        }

        Assert.Empty(monitor.Recent);
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, Resting, "BTCUSDT", "0.4", "20000"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, string.Format(System.Globalization.CultureInfo.InvariantCulture, Resting, "ETHUSDT", "0.1", "1500"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=BTCUSDT&leverage=5")).Status);

        await Eventually.TrueAsync(() => monitor.Recent.Count == 3, "three anomalies");
        Assert.Equal(
            [(OrderBehaviourDetector.OrderSize, AnomalySeverity.Warning), (OrderBehaviourDetector.NewSymbol, AnomalySeverity.Info), (OrderBehaviourDetector.AccountSetting, AnomalySeverity.Info)],
            monitor.Recent.Select(a => (a.Kind, a.Severity)));
        Assert.Contains("40x the median 0.01", monitor.Recent[0].Evidence, StringComparison.Ordinal);
        Assert.Contains("leverage BTCUSDT set to 5", monitor.Recent[2].Evidence, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => !webhook.Received.IsEmpty, "the warning is alerted");
        await monitor.Responses;
        await Task.Delay(500);
        Assert.Contains("order_size", Assert.Single(webhook.Received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersCancelledAsSoonAsPlaced_WarnOfTheExchangesQuantitativeRules_BeforeItsBanLevels()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:QuantitativeOrderCountScale"] = "0.002", // recording thresholds of 20 and 10 orders, warned at half
            ["Gateway:Budgets:PerBotOrdersPer10Seconds"] = "1000",
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("flicker"));
        using (var key = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null))
        {
            key.EnsureSuccessStatusCode(); // the account's stream is up before the first order
        }

        await Task.Delay(1000);
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, $"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId=f{i}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Delete, $"fapi/v1/order?symbol=BTCUSDT&origClientOrderId=f{i}")).Status);
        }

        await Eventually.TrueAsync(() => monitor.Recent.Any(a => a.Kind == QuantitativeRules.Kind), "the quantitative rules are warned of");
        var warning = monitor.Recent.Single(a => a.Kind == QuantitativeRules.Kind);
        Assert.Equal((AnomalySeverity.Warning, "paper/default"), (warning.Severity, warning.Account));
        Assert.Contains("on BTCUSDT in 10 min", warning.Evidence, StringComparison.Ordinal);
        Assert.Contains("most orders from bot flicker", warning.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedCertificateStillKnocking_IsReported_AsAPagerDutyEvent()
    {
        using var webhook = new HttpCollector("enqueue");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString(),
            ["Gateway:Anomalies:WebhookFormat"] = "pagerduty",
            ["Gateway:Anomalies:PagerDutyRoutingKey"] = "routing-key-of-the-test-service",
            ["Gateway:Anomalies:UnknownCertificatesPerMinute"] = "3",
        });
        using var revoked = host.CreateClient(await host.IssueBotAsync("leaver"));
        await host.IssueAdminAsync("sre");
        Assert.Equal(0, (await host.CliAsync("bots", "revoke", "leaver")).ExitCode);

        for (var i = 0; i < 3; i++)
        {
            try
            {
                using var response = await revoked.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Past a few refusals a second the gateway closes the connection unanswered; each still counts.
            }
        }

        await Eventually.TrueAsync(() => !webhook.Received.IsEmpty, "the event is posted");
        var pagerDuty = JsonDocument.Parse(Assert.Single(webhook.Received)).RootElement;
        Assert.Equal(("routing-key-of-the-test-service", "trigger"), (pagerDuty.GetProperty("routing_key").GetString(), pagerDuty.GetProperty("event_action").GetString()));
        Assert.Equal("warning", pagerDuty.GetProperty("payload").GetProperty("severity").GetString());
        Assert.Contains("unknown_certificate", pagerDuty.GetProperty("payload").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("revoked", pagerDuty.GetProperty("payload").GetProperty("custom_details").GetProperty("evidence").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WhileAnExchangeBreakerIsOpen_OnlyCriticalAnomaliesAreAlerted()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString(),
            ["Gateway:Anomalies:ProbingRefusalsPerMinute"] = "2",
            ["Gateway:Resilience:MinimumThroughput"] = "4",
            ["Gateway:Resilience:BreakSeconds"] = "60",
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("victim"));
        using var prober = host.CreateClient(await host.IssueBotAsync("prober", scopes: "market:read,account:read"));
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v2/account", kind = "Status", status = 503 });
        for (var i = 0; i < 6; i++)
        {
            using var failing = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        }

        Assert.Contains(2, host.Services.GetRequiredService<TradeFinder.Gateway.Diagnostics.GatewayMetrics>().BreakerStates.Values);
        for (var i = 0; i < 6; i++)
        {
            await prober.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01");
        }

        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        await Eventually.TrueAsync(() => monitor.Recent.Any(a => a.Severity == AnomalySeverity.Critical), "the probing escalates to critical");
        await monitor.Responses;
        await Eventually.TrueAsync(() => !webhook.Received.IsEmpty, "the critical one is alerted");
        await Task.Delay(500);
        Assert.Contains("\"severity\":\"critical\"", Assert.Single(webhook.Received), StringComparison.Ordinal); // the warning was inhibited
        Assert.Equal(1, host.Services.GetRequiredService<AlertWebhook>().Inhibited);
    }

    [Fact]
    public async Task BalanceMovingOutsideTrading_IsReported_AWithdrawalAsCritical()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString() });
        using var bot = host.CreateClient(await host.IssueBotAsync("saver"));
        using (var key = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null))
        {
            key.EnsureSuccessStatusCode();
        }

        await Task.Delay(1000);
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        await host.TransferAsync(500m, "DEPOSIT");
        await host.TransferAsync(-2500m, "WITHDRAW");

        await Eventually.TrueAsync(() => monitor.Recent.Count == 2, "both movements are reported");
        Assert.Equal([AnomalySeverity.Warning, AnomalySeverity.Critical], monitor.Recent.Select(a => a.Severity));
        Assert.All(monitor.Recent, a => Assert.Equal((AnomalyMonitor.BalanceChange, "paper/default"), (a.Kind, a.Account)));
        Assert.Contains("(WITHDRAW): USDT change -2500", monitor.Recent[1].Evidence, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => webhook.Received.Count == 2, "both alerted");
    }

    /// <summary>
    /// A bot's habits take minutes to hours to learn, so its history is handed to the detectors as past requests;
    /// the burst and the odd hour are real requests through the gateway.
    /// </summary>
    [Fact]
    public async Task ABurstFarAboveABotsUsualRate_AndARequestAtAnHourItNeverUses_AreReported()
    {
        using var webhook = new HttpCollector("alerts");
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:WebhookUrl"] = webhook.Url.ToString() });
        using var bot = host.CreateClient(await host.IssueBotAsync("looping"));
        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        var now = DateTimeOffset.UtcNow;
        var rate = host.Services.GetRequiredService<RequestRateDetector>();
        for (var i = 60; i > 0; i--)
        {
            rate.Observe("looping", now.AddSeconds(-10 * i)); // one request every ten seconds for ten minutes
        }

        var hours = host.Services.GetRequiredService<HoursDetector>();
        for (var i = 0; i < HoursDetector.History; i++)
        {
            hours.Observe("looping", now.AddHours(-1 - (i % 12))); // active only in the twelve hours before this one
        }

        // 60/min counts as a burst here, so forty requests are one whichever 10-second buckets they fall into.
        Assert.Null(host.Services.GetRequiredService<AnomalySettings>().TryChange(new AnomalyThresholdsChange(null, null, null, null, null, null, RequestRateMinimumPerMinute: 60)));
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Get, "fapi/v1/time")).Status);
        }

        var burst = Assert.Single(monitor.Recent, a => a.Kind == RequestRateDetector.Kind);
        Assert.Equal(("looping", AnomalySeverity.Warning), (burst.Bot, burst.Severity));
        Assert.Contains("over 10x its usual", burst.Evidence, StringComparison.Ordinal);
        var hour = Assert.Single(monitor.Recent, a => a.Kind == HoursDetector.Kind);
        Assert.Contains($":00 UTC, an hour with 0 of its {HoursDetector.History} requests", hour.Evidence, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => webhook.Received.Count(r => r.Contains(RequestRateDetector.Kind, StringComparison.Ordinal)) == 1, "the burst alerted (the hour is info)");
    }
}
