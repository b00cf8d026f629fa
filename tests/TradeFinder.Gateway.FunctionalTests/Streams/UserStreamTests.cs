using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Streams;

/// <summary>
/// Two bots on one paper account, each with its own listen key from the gateway: each receives its own order events
/// under its own ids and nothing of the other's; closing one key ends only that bot's stream; the account's real key
/// never leaves the gateway.
/// </summary>
public sealed class UserStreamTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _alphaCertificate = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _betaCertificate = null!;
    private HttpClient _alpha = null!;
    private HttpClient _beta = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        _alphaCertificate = await _host.IssueBotAsync("alpha");
        _betaCertificate = await _host.IssueBotAsync("beta");
        _alpha = _host.CreateClient(_alphaCertificate);
        _beta = _host.CreateClient(_betaCertificate);
    }

    public async Task DisposeAsync()
    {
        _alpha.Dispose();
        _beta.Dispose();
        await _host.DisposeAsync();
    }

    private static async Task<string> ListenKeyAsync(HttpClient bot)
    {
        using var response = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("listenKey").GetString()!;
    }

    /// <summary>Order events until <paramref name="until"/> says stop (others, like account updates, are skipped).</summary>
    private static async Task<List<JsonElement>> OrderEventsAsync(SocketMessages stream, Func<List<JsonElement>, bool> until)
    {
        var events = new List<JsonElement>();
        while (!until(events) && await stream.NextAsync(TimeSpan.FromSeconds(5)) is { } e)
        {
            if (e.GetProperty("e").GetString() == "ORDER_TRADE_UPDATE")
            {
                events.Add(e);
            }
        }

        return events;
    }

    /// <summary>The one FILLED event of <paramref name="clientId"/>, read back after a gap, and no order event after it.</summary>
    private static async Task<JsonElement> FilledOnceByResyncAsync(SocketMessages stream, string clientId)
    {
        var events = await OrderEventsAsync(stream, e => e.Any(x => x.GetProperty("o").GetProperty("X").GetString() == "FILLED"));
        var filled = Assert.Single(events, e => e.GetProperty("o").GetProperty("X").GetString() == "FILLED");
        Assert.Equal(clientId, filled.GetProperty("o").GetProperty("c").GetString());
        Assert.True(filled.GetProperty("gatewayResync").GetBoolean());
        Assert.Empty(await OrderEventsAsync(stream, _ => false));
        return filled;
    }

    [Fact]
    public async Task EachBot_ReceivesOnlyItsOwnOrderEvents_UnderItsOwnIds_AndClosingOneKeyAffectsNobodyElse()
    {
        var alphaKey = await ListenKeyAsync(_alpha);
        var betaKey = await ListenKeyAsync(_beta);
        Assert.NotEqual(alphaKey, betaKey);
        using var alphaSocket = await _host.ConnectWebSocketAsync("ws/" + alphaKey, _alphaCertificate);
        using var betaSocket = await _host.ConnectWebSocketAsync("ws/" + betaKey, _betaCertificate);
        var alphaStream = new SocketMessages(alphaSocket);
        var betaStream = new SocketMessages(betaSocket);

        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=alpha-fill")).Status);
        var alphaEvents = await OrderEventsAsync(alphaStream, e => e.Any(x => x.GetProperty("o").GetProperty("X").GetString() == "FILLED"));
        Assert.Equal(["alpha-fill"], alphaEvents.Select(e => e.GetProperty("o").GetProperty("c").GetString()).Distinct());
        Assert.Contains(alphaEvents, e => e.GetProperty("o").GetProperty("x").GetString() == "TRADE");

        // Beta hears nothing of alpha's order (account updates carry only its symbols' positions, no orders).
        for (var e = await betaStream.NextAsync(TimeSpan.FromSeconds(1)); e is not null; e = await betaStream.NextAsync(TimeSpan.FromMilliseconds(500)))
        {
            Assert.NotEqual("ORDER_TRADE_UPDATE", e.Value.GetProperty("e").GetString());
        }

        // Beta closes its key: its stream ends, alpha's goes on.
        Assert.Equal(HttpStatusCode.OK, (await _beta.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/listenKey?listenKey=" + betaKey)).Status);
        Assert.Null(await betaStream.NextAsync(TimeSpan.FromSeconds(5)));
        Assert.True(betaStream.Ended);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId=alpha-rest")).Status);
        var resting = await OrderEventsAsync(alphaStream, e => e.Count > 0);
        Assert.Equal("alpha-rest", resting.Single().GetProperty("o").GetProperty("c").GetString());

        // The account's real key: created by the gateway, never deleted or shown to a bot.
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e is { Method: "DELETE", Path: "/fapi/v1/listenKey" });
        Assert.Single(_host.PaperJournal.Entries, e => e is { Method: "POST", Path: "/fapi/v1/listenKey" });
    }

    [Fact]
    public async Task AKeyThatExpiredWithoutAKeepAlive_EndsItsStream_OnTheGatewaysClock()
    {
        // No event and no keep-alive for the key's hour: the stream's own check, every 30 s of the gateway's clock, ends it
        // (a check on the wall clock would not come within this test).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayTestHost.StartAsync(time: time);
        var certificate = await host.IssueBotAsync("alpha");
        using var bot = host.CreateClient(certificate);
        var key = await ListenKeyAsync(bot);
        using var socket = await host.ConnectWebSocketAsync("ws/" + key, certificate);
        var stream = new SocketMessages(socket);
        await stream.SkipUntilQuietAsync(TimeSpan.FromMilliseconds(500)); // what the stream sends on its own at first (account updates)

        Assert.False(stream.Ended);
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Null(await stream.NextAsync(TimeSpan.FromSeconds(1)));
        Assert.False(stream.Ended); // half its hour: still open

        // As the exchange does ("User Data Streams": listenKeyExpired), the bot is told, then the stream ends.
        time.Advance(TimeSpan.FromMinutes(31));
        var expired = await stream.NextAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(expired);
        Assert.Equal("listenKeyExpired", expired.Value.GetProperty("e").GetString());
        Assert.Equal(key, expired.Value.GetProperty("listenKey").GetString());
        Assert.Null(await stream.NextAsync(TimeSpan.FromSeconds(5)));
        Assert.True(stream.Ended);
    }

    [Fact]
    public async Task AFillDuringAnExpiredKeysGap_ReachesItsOwner_AfterTheGatewayRenewsTheKey()
    {
        var alphaKey = await ListenKeyAsync(_alpha);
        using var alphaSocket = await _host.ConnectWebSocketAsync("ws/" + alphaKey, _alphaCertificate);
        var alphaStream = new SocketMessages(alphaSocket);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId=alpha-gap")).Status);
        Assert.Single(await OrderEventsAsync(alphaStream, e => e.Count > 0));

        // The account's key expires; the order fills before the gateway is back on a new key.
        await _host.ExpireListenKeysAsync();
        await _host.PinPriceAsync("BTCUSDT", 59_000m);

        var after = await OrderEventsAsync(alphaStream, e => e.Any(x => x.GetProperty("o").GetProperty("X").GetString() == "FILLED"));
        var filled = Assert.Single(after, e => e.GetProperty("o").GetProperty("X").GetString() == "FILLED");
        Assert.Equal("alpha-gap", filled.GetProperty("o").GetProperty("c").GetString());
        Assert.True(filled.GetProperty("gatewayResync").GetBoolean());
        Assert.Equal(2, _host.PaperJournal.Entries.Count(e => e is { Method: "POST", Path: "/fapi/v1/listenKey" }));
    }

    [Fact]
    public async Task ABotThatReconnectsWithSince_GetsTheEventsItMissed_InOrder()
    {
        var alphaKey = await ListenKeyAsync(_alpha);
        long last;
        using (var first = await _host.ConnectWebSocketAsync("ws/" + alphaKey, _alphaCertificate))
        {
            var stream = new SocketMessages(first);
            Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId=seen")).Status);
            last = (await OrderEventsAsync(stream, e => e.Count > 0)).Single().GetProperty("gs").GetInt64();
            await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        // While alpha is away its order is cancelled and a new one placed.
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=seen")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60001&newClientOrderId=missed")).Status);
        await Task.Delay(500);

        using var again = await _host.ConnectWebSocketAsync($"ws/{alphaKey}?since={last}", _alphaCertificate);
        var missed = await OrderEventsAsync(new SocketMessages(again), e => e.Count >= 2);

        Assert.Equal([("seen", "CANCELED"), ("missed", "NEW")], missed.Select(e => (e.GetProperty("o").GetProperty("c").GetString(), e.GetProperty("o").GetProperty("X").GetString())));
        Assert.Equal([last + 1, last + 2], missed.Select(e => e.GetProperty("gs").GetInt64()));
    }

    [Fact]
    public async Task AnOrderThatFilledBeforeTheAccountsStreamStarted_CountsInItsOwnersPosition()
    {
        // A bot registered after start: its account's stream starts within ten seconds, after this fill was answered "NEW".
        using var late = _host.CreateClient(await _host.IssueBotAsync("late", scopes: "market:read,account:read,trade"));
        using var placed = await late.PostAsync(new Uri("fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.02&newOrderRespType=ACK", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        var ledger = _host.Services.GetRequiredService<TradeFinder.Gateway.Orders.OwnershipLedger>();

        await Eventually.TrueAsync(() => ledger.Positions().Any(p => p.Bot == "late" && p.Quantity == 0.02m), "the fill read back when the stream started", seconds: 25);
    }

    [Fact]
    public async Task AnotherBotsKey_OrAnUnknownKey_OpensNothing()
    {
        var alphaKey = await ListenKeyAsync(_alpha);

        await Assert.ThrowsAnyAsync<WebSocketException>(() => _host.ConnectWebSocketAsync("ws/" + alphaKey, _betaCertificate));
        await Assert.ThrowsAnyAsync<WebSocketException>(() => _host.ConnectWebSocketAsync("ws/" + new string('0', 64), _alphaCertificate));
        Assert.Equal((HttpStatusCode.BadRequest, -1125), await _beta.SendForCodeAsync(HttpMethod.Put, "fapi/v1/listenKey?listenKey=" + alphaKey));
    }

    [Fact]
    public async Task UpstreamDroppedThenKeyExpired_MidRun_NoOrderEventIsLost()
    {
        await _host.PinPriceAsync("BTCUSDT", 65_000m);
        var key = await ListenKeyAsync(_alpha);
        using var socket = await _host.ConnectWebSocketAsync("ws/" + key, _alphaCertificate);
        var stream = new SocketMessages(socket);
        string[] ids = ["run-1", "run-2", "run-3", "run-4", "run-5", "run-6"];
        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, $"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId={id}")).Status);
        }

        Assert.Equal(ids.Length, (await OrderEventsAsync(stream, e => e.Count >= ids.Length)).Count);

        // The upstream connection drops and two orders are cancelled before the gateway is back; then the key expires
        // and the rest fill before it has a new one.
        await _host.DropUserDataConnectionsAsync();
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=run-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=run-2")).Status);
        await Task.Delay(3000);
        await _host.ExpireListenKeysAsync();
        await _host.PinPriceAsync("BTCUSDT", 59_000m);

        static string Final(JsonElement e) => e.GetProperty("o").GetProperty("X").GetString()!;
        var events = await OrderEventsAsync(stream, e => ids.All(id => e.Any(x => x.GetProperty("o").GetProperty("c").GetString() == id && Final(x) is "FILLED" or "CANCELED")));
        var finals = events.Where(e => Final(e) is "FILLED" or "CANCELED").ToList();
        Assert.Equal(ids, finals.Select(e => e.GetProperty("o").GetProperty("c").GetString()!).Order());

        // Checked against the exchange's own record of the orders.
        var record = JsonDocument.Parse(await _alpha.GetStringAsync(new Uri("fapi/v1/allOrders?symbol=BTCUSDT", UriKind.Relative))).RootElement;
        Assert.Equal(
            record.EnumerateArray().Where(o => ids.Contains(o.GetProperty("clientOrderId").GetString())).Select(o => (o.GetProperty("clientOrderId").GetString()!, o.GetProperty("status").GetString()!)).Order(),
            finals.Select(e => (e.GetProperty("o").GetProperty("c").GetString()!, Final(e))).Order());
        Assert.Equal(["CANCELED", "CANCELED", "FILLED", "FILLED", "FILLED", "FILLED"], finals.Select(Final).Order());
        Assert.True(_host.Services.GetRequiredService<TradeFinder.Gateway.Streams.UserStreams>().Accounts.Single().Reconnects >= 2);
    }

    [Fact]
    public async Task AnOrderPlacedAsSoonAsTheFirstKeyIsAnswered_IsCarriedLive_NotReadBackAfterAGap()
    {
        // The exchange takes 1.5 s to create the gateway's own key: the bot's first key is answered once the stream is open.
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/listenKey", method = "POST", kind = "Latency", latencyMs = 1500, count = 1 });
        var key = await ListenKeyAsync(_alpha);
        using var socket = await _host.ConnectWebSocketAsync("ws/" + key, _alphaCertificate);
        var stream = new SocketMessages(socket);

        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId=first-live")).Status);

        var placed = Assert.Single(await OrderEventsAsync(stream, e => e.Count > 0));
        Assert.Equal(("first-live", "NEW"), (placed.GetProperty("o").GetProperty("c").GetString(), placed.GetProperty("o").GetProperty("X").GetString()));
        Assert.False(placed.TryGetProperty("gatewayResync", out _));
    }

    [Fact]
    public async Task AMarketOrderPlacedAndFilledWhileTheUpstreamIsDown_ReachesItsOwnerOnce()
    {
        var key = await ListenKeyAsync(_alpha);
        using var socket = await _host.ConnectWebSocketAsync("ws/" + key, _alphaCertificate);
        var stream = new SocketMessages(socket);

        // Answered FILLED while the stream was down: the stream never showed it and the ledger never held it open.
        await _host.DropUserDataConnectionsAsync();
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newOrderRespType=RESULT&newClientOrderId=gap-market")).Status);

        var filled = await FilledOnceByResyncAsync(stream, "gap-market");
        Assert.Equal(0.01m, decimal.Parse(filled.GetProperty("o").GetProperty("z").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AnOrderStillInFlightWhenTheUpstreamReconnects_ReachesItsOwnerOnce_AfterItsOutcomeIsKnown()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Resilience:TradingTimeoutSeconds"] = "3" });
        var certificate = await host.IssueBotAsync("slow");
        using var bot = host.CreateClient(certificate);
        var key = await ListenKeyAsync(bot);
        using var socket = await host.ConnectWebSocketAsync("ws/" + key, certificate);
        var stream = new SocketMessages(socket);

        // The exchange fills the order while the gateway's stream is down and never answers it: the gateway is back
        // within about a second, with the order still in flight, and learns its fate by looking it up at the time-out.
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "POST", kind = "AcceptThenTimeout", count = 1 });
        await host.DropUserDataConnectionsAsync();
        Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=in-flight")).Status);
        Assert.True(host.Services.GetRequiredService<TradeFinder.Gateway.Streams.UserStreams>().Accounts.Single().Reconnects >= 1);

        await FilledOnceByResyncAsync(stream, "in-flight");
    }

    [Fact]
    public async Task TheUpstreamConnection_IsReplacedMakeBeforeBreak_WithoutLosingOrRepeatingAnEvent()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Streams:UserStreamRotateAfterSeconds"] = "5" });
        var certificate = await host.IssueBotAsync("rotor");
        using var bot = host.CreateClient(certificate);
        await host.PinPriceAsync("BTCUSDT", 65_000m);
        var key = await ListenKeyAsync(bot);
        using var socket = await host.ConnectWebSocketAsync("ws/" + key, certificate);
        var stream = new SocketMessages(socket);
        var streams = host.Services.GetRequiredService<TradeFinder.Gateway.Streams.UserStreams>();

        // Orders placed and cancelled while the connection is replaced twice: every event arrives once, in order.
        var placed = new List<string>();
        for (var i = 0; streams.Accounts.Single().Rotations < 2 && i < 80; i++)
        {
            placed.Add($"rot-{i}");
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Post, $"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=60000&newClientOrderId=rot-{i}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await bot.SendForCodeAsync(HttpMethod.Delete, $"fapi/v1/order?symbol=BTCUSDT&origClientOrderId=rot-{i}")).Status);
            await Task.Delay(200);
        }

        var events = await OrderEventsAsync(stream, e => e.Count >= 2 * placed.Count);
        while (await stream.NextAsync(TimeSpan.FromMilliseconds(1500)) is { } extra)
        {
            Assert.NotEqual("ORDER_TRADE_UPDATE", extra.GetProperty("e").GetString());
        }

        var account = streams.Accounts.Single();
        Assert.True(account.Rotations >= 2, $"{account.Rotations} rotations");
        Assert.Equal(0, account.Reconnects);
        Assert.Equal(placed.SelectMany(id => new[] { (id, "NEW"), (id, "CANCELED") }),
            events.Select(e => (e.GetProperty("o").GetProperty("c").GetString()!, e.GetProperty("o").GetProperty("X").GetString()!)));
        Assert.Equal(events.Select(e => e.GetProperty("gs").GetInt64()).Order(), events.Select(e => e.GetProperty("gs").GetInt64()));
    }
}
