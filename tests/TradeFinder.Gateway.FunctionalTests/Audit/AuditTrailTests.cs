using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Audit;

/// <summary>What bots do and what the gateway refuses ends up in the chained audit trail, queryable on the admin port.</summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private HttpClient _bot = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        _bot = _host.CreateClient(await _host.IssueBotAsync("alpha"));
        _admin = _host.CreateAdminClient(await _host.IssueAdminAsync("ops"));
    }

    public async Task DisposeAsync()
    {
        _bot.Dispose();
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    private IAuditStore Store => _host.Services.GetRequiredService<IAuditStore>();

    private async Task<JsonElement[]> QueryAsync(string query)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var events = await _admin.GetFromJsonAsync<JsonElement[]>(new Uri("admin/audit?" + query, UriKind.Relative));
            if (events is { Length: > 0 })
            {
                return events;
            }

            await Task.Delay(100);
        }

        return [];
    }

    [Fact]
    public async Task ForwardedRequest_IsRecordedWithBotEndpointStatusWeightAndRedactedQuery()
    {
        using var response = await _bot.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=100&signature=botsent0123456789abcdef0123456789abcdef", UriKind.Relative));
        response.EnsureSuccessStatusCode();

        var events = await QueryAsync("bot=alpha&type=traffic");

        var e = Assert.Single(events, x => x.GetProperty("endpoint").GetString() == "GET /fapi/v1/depth");
        Assert.Equal("forwarded 200", e.GetProperty("outcome").GetString());
        using var details = JsonDocument.Parse(e.GetProperty("details").GetString()!);
        Assert.Equal(5, details.RootElement.GetProperty("weight").GetInt32());
        Assert.Equal("paper", details.RootElement.GetProperty("mode").GetString());
        Assert.Contains("signature=***", details.RootElement.GetProperty("query").GetString());
        Assert.DoesNotContain("botsent", e.GetRawText());
    }

    [Fact]
    public async Task FormBodyOrder_IsAuditedWithItsRedactedParameters_AndTheExchangesAnswer()
    {
        using var response = await _bot.PostAsync(new Uri("fapi/v1/order", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["symbol"] = "BTCUSDT",
            ["side"] = "BUY",
            ["type"] = "LIMIT",
            ["timeInForce"] = "GTC",
            ["quantity"] = "0.01",
            ["price"] = "20000",
            ["newClientOrderId"] = "audit-form-1",
            ["signature"] = "botsent0123456789abcdef0123456789abcdef",
        }));
        response.EnsureSuccessStatusCode();
        using var placed = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var e = Assert.Single(await QueryAsync("bot=alpha&type=traffic"), x => x.GetProperty("endpoint").GetString() == "POST /fapi/v1/order");
        using var details = JsonDocument.Parse(e.GetProperty("details").GetString()!);
        var body = details.RootElement.GetProperty("body").GetString()!;
        Assert.Contains("symbol=BTCUSDT", body);
        Assert.Contains("quantity=0.01", body);
        Assert.Contains("signature=***", body);
        Assert.DoesNotContain("botsent", e.GetRawText());
        // The id the exchange knows (the bot's own, behind its tag), so an order whose answer was lost can be found.
        Assert.EndsWith(".audit-form-1", Assert.Single(details.RootElement.GetProperty("clientIds").EnumerateArray()).GetString());
        var answer = Assert.Single(details.RootElement.GetProperty("answer").EnumerateArray());
        Assert.Equal(placed.RootElement.GetProperty("orderId").GetInt64(), answer.GetProperty("orderId").GetInt64());
        Assert.Equal("audit-form-1", answer.GetProperty("clientOrderId").GetString());
        Assert.Equal("NEW", answer.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BatchOrder_AuditRecordsEachElementsAnswer_IncludingRefusedOnes()
    {
        // The second element asks for more margin than the account has: the exchange refuses it alone.
        Assert.Equal(0, (await _host.CliAsync("bots", "set", "alpha", "--unlimited")).ExitCode);
        const string Batch = """[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"20000"},{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"900","price":"20000"}]""";
        using var response = await _bot.PostAsync(new Uri("fapi/v1/batchOrders", UriKind.Relative), new FormUrlEncodedContent([new("batchOrders", Batch)]));
        response.EnsureSuccessStatusCode();
        using var answered = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var e = Assert.Single(await QueryAsync("bot=alpha&type=traffic"), x => x.GetProperty("endpoint").GetString() == "POST /fapi/v1/batchOrders");
        using var details = JsonDocument.Parse(e.GetProperty("details").GetString()!);
        var answer = details.RootElement.GetProperty("answer").EnumerateArray().ToArray();
        Assert.Equal(2, answer.Length);
        Assert.Equal(answered.RootElement[0].GetProperty("orderId").GetInt64(), answer[0].GetProperty("orderId").GetInt64());
        Assert.EndsWith("." + answer[0].GetProperty("clientOrderId").GetString(), details.RootElement.GetProperty("clientIds")[0].GetString());
        Assert.Equal(answered.RootElement[1].GetProperty("code").GetInt32(), answer[1].GetProperty("code").GetInt64());
    }

    [Fact]
    public async Task RefusedRequests_AreRecordedAsSecurityEventsWithTheirReason()
    {
        using (await _bot.GetAsync(new Uri("sapi/v1/capital/config/getall", UriKind.Relative)))
        {
        }

        using (await _bot.PostAsync(new Uri("fapi/v1/order", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json")))
        {
        }

        using var unregistered = _host.CreateClient(_host.IssueUnregisteredCertificate("ghost"));
        using (await unregistered.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
        }

        var denied = await QueryAsync("type=scope_denied");
        var invalid = await QueryAsync("type=validation_error");
        var auth = await QueryAsync("type=auth_failure&bot=ghost");

        Assert.Contains(denied, e => e.GetProperty("endpoint").GetString() == "GET /sapi/v1/capital/config/getall" && e.GetProperty("bot").GetString() == "alpha");
        Assert.Contains(invalid, e => e.GetProperty("endpoint").GetString() == "POST /fapi/v1/order" && e.GetProperty("details").GetString()!.Contains("form-urlencoded", StringComparison.Ordinal));
        Assert.Contains(auth, e => e.GetProperty("outcome").GetString() == "denied 401");
    }

    [Fact]
    public async Task HandshakeRefusal_IsRecordedAsAuthFailure()
    {
        using var foreign = _host.CreateClient(TestCertificates.CreateForeignClientCertificate("intruder"));
        await Assert.ThrowsAsync<HttpRequestException>(() => foreign.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));

        var events = (await QueryAsync("type=auth_failure")).Where(e => e.GetProperty("details").GetString()!.Contains("intruder", StringComparison.Ordinal)).ToList();

        // HttpClient retries a connection refused mid-handshake; the retries fall in one window and are counted, not written.
        Assert.Single(events);
        Assert.Equal("(unverified)", events[0].GetProperty("bot").GetString());
        Assert.All(events, e => Assert.Equal("handshake refused", e.GetProperty("outcome").GetString()));
        Assert.Contains("CN=Foreign CA", events[0].GetProperty("details").GetString());
    }

    [Fact]
    public async Task OrderPlacement_IsRecordedAsSent_StoredBeforeTheBotGetsItsAnswer_ThenAsAnswered()
    {
        using var response = await _bot.PostAsync(new Uri("fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=sent-1&signature=botsent0123456789abcdef0123456789abcdef", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();

        // No waiting: the sent record must already be stored when the answer arrives; the outcome follows it.
        var sent = Assert.Single(await Store.QueryAsync(new AuditQuery(Bot: "alpha"), CancellationToken.None), e => e.Type == AuditEventTypes.Sent);
        IReadOnlyList<AuditEvent> stored = [];
        await Eventually.TrueAsync(() => (stored = Store.QueryAsync(new AuditQuery(Bot: "alpha"), CancellationToken.None).GetAwaiter().GetResult()).Count == 2, "the outcome's record");
        var answered = Assert.Single(stored, e => e.Type == AuditEventTypes.Traffic && e.Endpoint == "POST /fapi/v1/order");
        Assert.Equal(("POST /fapi/v1/order", "sent"), (sent.Endpoint, sent.Outcome));
        Assert.Equal("forwarded 200", answered.Outcome);
        Assert.True(sent.Sequence < answered.Sequence, "the sent record is written before the outcome's");
        using var sentDetails = JsonDocument.Parse(sent.Details);
        using var answeredDetails = JsonDocument.Parse(answered.Details);
        Assert.Equal(answeredDetails.RootElement.GetProperty("traceId").GetString(), sentDetails.RootElement.GetProperty("traceId").GetString());
        Assert.EndsWith(".sent-1", sentDetails.RootElement.GetProperty("clientIds")[0].GetString());
        Assert.Equal(answeredDetails.RootElement.GetProperty("weight").GetInt32(), sentDetails.RootElement.GetProperty("weight").GetInt32());
        Assert.Equal("paper", sentDetails.RootElement.GetProperty("mode").GetString());
        Assert.Contains("signature=***", sentDetails.RootElement.GetProperty("query").GetString());
        Assert.DoesNotContain("botsent", sent.Details);
    }

    [Fact]
    public async Task RefusedOrder_LeavesNoSentRecord()
    {
        // An unknown symbol never leaves the gateway.
        using var response = await _bot.PostAsync(new Uri("fapi/v1/order?symbol=NOPEUSDT&side=BUY&type=MARKET&quantity=0.01", UriKind.Relative), null);
        Assert.False(response.IsSuccessStatusCode);

        var refused = Assert.Single(await QueryAsync("bot=alpha"));
        Assert.Equal("POST /fapi/v1/order", refused.GetProperty("endpoint").GetString());
        Assert.StartsWith("denied 4", refused.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AdminPort_RefusesBotCertificates_AndUnregisteredAdmins()
    {
        using var botOnAdmin = _host.CreateAdminClient(_host.LoadBotCertificate("alpha"));
        await Assert.ThrowsAsync<HttpRequestException>(() => botOnAdmin.GetAsync(new Uri("admin/audit", UriKind.Relative)));

        await _host.IssueAdminAsync("temp");
        var (code, _, _) = await _host.CliAsync("certs", "issue", "--admin", "other");
        Assert.Equal(0, code);
        using var adminOnBots = _host.CreateClient(await _host.IssueAdminAsync("other"));
        await Assert.ThrowsAsync<HttpRequestException>(() => adminOnBots.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));
    }

    [Fact]
    public async Task AuditVerify_AndTail_FromTheCli()
    {
        using (await _bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
        }

        await QueryAsync("bot=alpha");

        var (verifyCode, verifyOutput, _) = await _host.CliAsync("audit", "verify");
        var (tailCode, tailOutput, tailError) = await _host.CliAsync("audit", "tail", "--bot", "alpha", "-n", "5");

        Assert.Equal(0, verifyCode);
        Assert.Contains("Audit chain intact", verifyOutput);
        Assert.True(tailCode == 0, tailError);
        Assert.Contains("GET /fapi/v1/time", tailOutput);
    }

    [Fact]
    public async Task AdminVerifyEndpoint_ReportsAnIntactChain()
    {
        using (await _bot.GetAsync(new Uri("fapi/v1/ping", UriKind.Relative)))
        {
        }

        await QueryAsync("bot=alpha");
        var result = await _admin.GetFromJsonAsync<JsonElement>(new Uri("admin/audit/verify", UriKind.Relative));

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.True(result.GetProperty("checked").GetInt64() > 0);
    }
}
