using System.Net;
using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Orders;

/// <summary>An order POST whose outcome is unknown is looked up by its client order id, never sent twice.</summary>
public sealed class OrderOutcomeTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private HttpClient _bot = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Resilience:TradingTimeoutSeconds"] = "1" });
        _bot = _host.CreateClient(await _host.IssueBotAsync("alpha"));
    }

    public async Task DisposeAsync()
    {
        _bot.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<JsonElement[]> OpenOrdersAsync()
    {
        using var response = await _bot.GetAsync(new Uri("fapi/v1/openOrders?symbol=BTCUSDT", UriKind.Relative));
        return JsonSerializer.Deserialize<JsonElement[]>(await response.Content.ReadAsStringAsync())!;
    }

    [Theory]
    [InlineData("att-with-id")]
    [InlineData(null)]
    public async Task AcceptedThenTimedOut_ExactlyOneOrderExists_AndTheBotGetsIt(string? clientOrderId)
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "POST", kind = "AcceptThenTimeout", count = 1 });
        var query = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000" + (clientOrderId is null ? "" : "&newClientOrderId=" + clientOrderId);
        _host.PaperJournal.Clear();

        using var response = await _bot.PostAsync(new Uri(query, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("found", response.Headers.GetValues("X-TradeFinder-Order-Lookup").Single());
        using var order = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = order.RootElement.GetProperty("clientOrderId").GetString();
        Assert.Equal("NEW", order.RootElement.GetProperty("status").GetString());
        if (clientOrderId is not null)
        {
            Assert.Equal(clientOrderId, id);
        }

        Assert.Single(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/order");
        Assert.Single(await OpenOrdersAsync(), o => o.GetProperty("clientOrderId").GetString() == id);
    }

    [Fact]
    public async Task ConditionalOrderAcceptedThenTimedOut_IsFoundByItsClientAlgoId()
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/algoOrder", method = "POST", kind = "AcceptThenTimeout", count = 1 });
        _host.PaperJournal.Clear();

        using var response = await _bot.PostAsync(new Uri("fapi/v1/algoOrder?algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&quantity=0.01&triggerPrice=20000&clientAlgoId=stop-att", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("found", response.Headers.GetValues("X-TradeFinder-Order-Lookup").Single());
        using var algo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("stop-att", algo.RootElement.GetProperty("clientAlgoId").GetString());
        Assert.Single(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/algoOrder");
    }

    [Theory]
    [InlineData("Status", 503, -1001)]
    [InlineData("ErrorCode", 503, -1007)]
    [InlineData("ErrorCode", 400, -1008)]
    public async Task UnknownOutcomeThatWasNotPlaced_IsReportedAsSafeToResend_WithoutResending(string kind, int status, int code)
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "POST", kind, status, code, count = 1 });
        _host.PaperJournal.Clear();

        using var response = await _bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId=np-" + -code, UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not-found", response.Headers.GetValues("X-TradeFinder-Order-Lookup").Single());
        Assert.Contains("safe to send it again", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OpenOrdersAsync());

        // The faulted POST never reached the engine (so it is not journaled); a re-sent one would have.
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/order");
        Assert.Contains(_host.PaperJournal.Entries, e => e.Method == "GET" && e.Path == "/fapi/v1/order" && e.Outcome == "-2013");
    }

    private const string Batch =
        """[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"20000","newClientOrderId":"batch-own"},"""
        + """{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"19000"}]""";

    private async Task<(HttpResponseMessage Response, JsonElement[] Elements)> PostBatchAsync()
    {
        var response = await _bot.PostAsync(new Uri("fapi/v1/batchOrders", UriKind.Relative), new FormUrlEncodedContent([new("batchOrders", Batch)]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.StartsWith('['), body);
        return (response, JsonSerializer.Deserialize<JsonElement[]>(body)!);
    }

    [Fact]
    public async Task BatchAcceptedThenTimedOut_EveryOrderIsFoundByItsClientId_AndTheBatchIsSentOnce()
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/batchOrders", method = "POST", kind = "AcceptThenTimeout", count = 1 });
        _host.PaperJournal.Clear();

        var (response, elements) = await PostBatchAsync();
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("found,found", response.Headers.GetValues("X-TradeFinder-Order-Lookup").Single());
        }

        // Request order is kept; the element without an id got one from the gateway before it was sent.
        Assert.Equal(2, elements.Length);
        Assert.Equal("batch-own", elements[0].GetProperty("clientOrderId").GetString());
        var assigned = elements[1].GetProperty("clientOrderId").GetString()!;
        Assert.StartsWith("tf-", assigned, StringComparison.Ordinal);
        Assert.All(elements, e => Assert.Equal("NEW", e.GetProperty("status").GetString()));
        Assert.Single(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/batchOrders");
        var open = (await OpenOrdersAsync()).Select(o => o.GetProperty("clientOrderId").GetString()).Order().ToArray();
        Assert.Equal(new[] { "batch-own", assigned }.Order(), open);
    }

    [Fact]
    public async Task BatchThatWasNotPlaced_EveryElementSaysItIsSafeToResend_AndNothingIsResent()
    {
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/batchOrders", method = "POST", kind = "Status", status = 503, code = -1001, count = 1 });
        _host.PaperJournal.Clear();

        var (response, elements) = await PostBatchAsync();
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the exchange's batch shape: per-element errors
            Assert.Equal("not-found,not-found", response.Headers.GetValues("X-TradeFinder-Order-Lookup").Single());
        }

        Assert.All(elements, e =>
        {
            Assert.Equal(-1001, e.GetProperty("code").GetInt32());
            Assert.Contains("safe to send it again", e.GetProperty("msg").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains("batch-own", elements[0].GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Empty(await OpenOrdersAsync());
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Method == "POST" && e.Path == "/fapi/v1/batchOrders");
        Assert.Contains(_host.PaperJournal.Entries, e => e.Method == "GET" && e.Path == "/fapi/v1/order" && e.Outcome == "-2013");
    }

    [Fact]
    public async Task DefiniteRejection_IsPassedOnUnchanged_WithoutALookup()
    {
        _host.PaperJournal.Clear();

        using var response = await _bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=999999", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("X-TradeFinder-Order-Lookup"));
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Method == "GET" && e.Path == "/fapi/v1/order");
    }
}
