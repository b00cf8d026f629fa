using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Contracts.Streams;
using TradeFinder.Gateway.Streams;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Streams;

/// <summary>
/// Market streams through the gateway: each stream subscribed once upstream whatever the number of bots reading it,
/// the exchange's URL shapes and control messages answered by the gateway, bad input refused before anything goes
/// upstream, streams packed per upstream connection, per-bot limits.
/// </summary>
public sealed class MarketStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task FiftyBots_OnOneStream_ShareOneUpstreamSubscription_AndEachReceivesItInItsOwnShape()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var hub = host.Services.GetRequiredService<MarketStreamHub>();
        var bots = new List<(ClientWebSocket Socket, SocketMessages Messages, bool Combined)>();
        for (var i = 0; i < 50; i++)
        {
            var combined = i % 2 == 1;
            var socket = await host.ConnectWebSocketAsync(combined ? "stream?streams=btcusdt@aggTrade" : "ws/btcusdt@aggTrade", await host.IssueBotAsync($"fan{i}"));
            bots.Add((socket, new SocketMessages(socket), combined));
        }

        foreach (var (_, messages, combined) in bots)
        {
            var message = await messages.NextAsync(Wait);
            Assert.NotNull(message);
            var trade = combined ? message.Value.GetProperty("data") : message.Value;
            Assert.Equal("aggTrade", trade.GetProperty("e").GetString());
            Assert.Equal("BTCUSDT", trade.GetProperty("s").GetString());
            if (combined)
            {
                Assert.Equal("btcusdt@aggTrade", message.Value.GetProperty("stream").GetString());
            }
        }

        Assert.Equal(50, hub.SubscribersOf(TradingMode.Paper, "btcusdt@aggTrade"));
        var upstream = Assert.Single(hub.Connections);
        Assert.Equal(MarketStreamRoute.Market, upstream.Route);
        Assert.Equal(1, upstream.StreamCount);
        Assert.Equal(1, upstream.MessagesSent);

        foreach (var (socket, _, _) in bots)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            socket.Dispose();
        }

        await Eventually.TrueAsync(() => hub.Connections.Count == 0, "the upstream connection closes with its last stream");
    }

    [Fact]
    public async Task TheUpstreamConnection_IsRenewedBeforeTheExchangesDay_OnTheGatewaysClock_AndTheStreamGoesOn()
    {
        // The exchange drops a market connection after 24 hours ("WebSocket Market Streams": a connection is only valid
        // for 24 hours); the gateway renews it at 23 hours of its own clock, which a wall-clock timer would not follow.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayTestHost.StartAsync(time: time);
        var hub = host.Services.GetRequiredService<MarketStreamHub>();
        using var socket = await host.ConnectWebSocketAsync("ws/btcusdt@aggTrade", await host.IssueBotAsync("day"));
        var messages = new SocketMessages(socket);
        Assert.NotNull(await NextAsTimeMovesAsync(messages, time));
        var upstream = Assert.Single(hub.Connections);

        time.Advance(TimeSpan.FromHours(22));
        await Task.Delay(500);
        Assert.Equal(0, upstream.Reconnects);

        time.Advance(TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => upstream.Reconnects == 1, "the connection renewed at 23 hours");
        time.Advance(TimeSpan.FromSeconds(2)); // the reconnect's pause
        await messages.SkipUntilQuietAsync(TimeSpan.FromMilliseconds(300)); // what was on its way before the renewal

        Assert.NotNull(await NextAsTimeMovesAsync(messages, time));
        Assert.False(messages.Ended);
        Assert.Same(upstream, Assert.Single(hub.Connections));
    }

    /// <summary>The next message while the clock moves on (the paper exchange's trades and the pacing keep that clock).</summary>
    private static async Task<JsonElement?> NextAsTimeMovesAsync(SocketMessages messages, FakeTimeProvider time)
    {
        for (var i = 0; i < 200; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            if (await messages.NextAsync(TimeSpan.FromMilliseconds(50)) is { } message)
            {
                return message;
            }
        }

        return null;
    }

    [Fact]
    public async Task ControlMessages_AreAnsweredByTheGateway_BadStreamsAreRefusedLocally_AndRoutesAreChosenUpstream()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var hub = host.Services.GetRequiredService<MarketStreamHub>();
        using var socket = await host.ConnectWebSocketAsync("ws", await host.IssueBotAsync("reader"));
        var messages = new SocketMessages(socket);

        await SendAsync(socket, """{"method":"SUBSCRIBE","params":["ethusdt@bookTicker","ethusdt@markPrice@1s"],"id":1}""");
        Assert.Equal("""{"result":null,"id":1}""", (await messages.NextAsync(m => m.TryGetProperty("id", out _), Wait))?.GetRawText());
        await SendAsync(socket, """{"method":"SUBSCRIBE","params":["ETHUSDT@aggTrade"],"id":2}""");
        var refused = await messages.NextAsync(m => m.TryGetProperty("id", out _), Wait);
        Assert.Equal(2, refused?.GetProperty("code").GetInt32());
        Assert.Contains("ETHUSDT@aggTrade", refused?.GetProperty("msg").GetString(), StringComparison.Ordinal);
        await SendAsync(socket, "not json");
        Assert.Equal(3, (await messages.NextAsync(m => m.TryGetProperty("code", out _), Wait))?.GetProperty("code").GetInt32());
        await SendAsync(socket, """{"method":"LIST_SUBSCRIPTIONS","id":"list"}""");
        Assert.Equal("""{"result":["ethusdt@bookTicker","ethusdt@markPrice@1s"],"id":"list"}""", (await messages.NextAsync(m => m.TryGetProperty("id", out _), Wait))?.GetRawText());

        Assert.NotNull(await messages.NextAsync(m => m.TryGetProperty("e", out var e) && e.GetString() == "markPriceUpdate", Wait));
        Assert.NotNull(await messages.NextAsync(m => m.TryGetProperty("e", out var e) && e.GetString() == "bookTicker", Wait));
        Assert.Equal([MarketStreamRoute.Public, MarketStreamRoute.Market], hub.Connections.Select(c => c.Route).Order());
        Assert.All(hub.Connections, c => Assert.Equal(1, c.StreamCount)); // the refused stream never went upstream

        await SendAsync(socket, """{"method":"SET_PROPERTY","params":["combined",true],"id":3}""");
        Assert.NotNull(await messages.NextAsync(m => m.TryGetProperty("stream", out var s) && s.GetString() == "ethusdt@bookTicker", Wait));
        await SendAsync(socket, """{"method":"UNSUBSCRIBE","params":["ethusdt@bookTicker"],"id":4}""");
        Assert.NotNull(await messages.NextAsync(m => m.TryGetProperty("id", out var id) && id.GetInt32() == 4, Wait));
        await Eventually.TrueAsync(() => hub.Connections.Count == 1, "the public-route connection closes with its last stream");
    }

    [Fact]
    public async Task StreamsBeyondOneConnectionsShare_AreSpreadOverMoreUpstreamConnections()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Streams:MaxStreamsPerUpstreamConnection"] = "2" });
        var hub = host.Services.GetRequiredService<MarketStreamHub>();
        string[] streams = ["btcusdt@aggTrade", "ethusdt@aggTrade", "solusdt@aggTrade", "btcusdt@kline_1m", "ethusdt@markPrice@1s"];
        using var socket = await host.ConnectWebSocketAsync("stream?streams=" + string.Join('/', streams), await host.IssueBotAsync("wide"));
        var messages = new SocketMessages(socket);

        var seen = new HashSet<string>();
        while (seen.Count < streams.Length && await messages.NextAsync(Wait) is { } message)
        {
            seen.Add(message.GetProperty("stream").GetString()!);
        }

        Assert.Equal(streams.Order(), seen.Order());
        Assert.Equal([1, 2, 2], hub.Connections.Select(c => c.StreamCount).Order());
    }

    [Fact]
    public async Task ABotsLimits_OnStreamsAndMessages_AreItsOwn()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Streams:MaxMarketStreamsPerBot"] = "2" });
        var greedy = await host.IssueBotAsync("greedy");
        using var socket = await host.ConnectWebSocketAsync("ws/btcusdt@aggTrade", greedy);
        var messages = new SocketMessages(socket);
        await SendAsync(socket, """{"method":"SUBSCRIBE","params":["ethusdt@aggTrade","solusdt@aggTrade"],"id":1}""");
        Assert.Contains("may hold 2 market streams", (await messages.NextAsync(m => m.TryGetProperty("id", out _), Wait))?.GetProperty("msg").GetString(), StringComparison.Ordinal);

        // Another bot is not held to the first one's count; a flood of messages ends only the flooding connection.
        using var other = await host.ConnectWebSocketAsync("ws/ethusdt@aggTrade/solusdt@aggTrade", await host.IssueBotAsync("other"));
        var otherMessages = new SocketMessages(other);
        Assert.NotNull(await otherMessages.NextAsync(Wait));
        for (var i = 0; i < 12 && socket.State == WebSocketState.Open; i++)
        {
            await SendAsync(socket, $$"""{"method":"LIST_SUBSCRIPTIONS","id":{{i}}}""");
        }

        await Eventually.TrueAsync(() => messages.Ended, "the flooding connection is closed");
        Assert.StartsWith("too many messages", messages.CloseReason, StringComparison.Ordinal);
        Assert.NotNull(await otherMessages.NextAsync(Wait));
    }

    [Fact]
    public async Task ABotWithoutMarketRead_CannotOpenAStream()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var trader = await host.IssueBotAsync("trader-only", scopes: "trade");

        await Assert.ThrowsAnyAsync<WebSocketException>(() => host.ConnectWebSocketAsync("ws/btcusdt@aggTrade", trader));
    }

    [Fact]
    public async Task CombinedUrl_WithTheBotsListenKey_CarriesItsUserEventsBesideMarketData()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var certificate = await host.IssueBotAsync("both");
        using var bot = host.CreateClient(certificate);
        using var keyResponse = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null);
        var key = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("listenKey").GetString()!;
        using var socket = await host.ConnectWebSocketAsync($"stream?streams={key}/btcusdt@bookTicker", certificate);
        var messages = new SocketMessages(socket);
        Assert.NotNull(await messages.NextAsync(m => m.GetProperty("stream").GetString() == "btcusdt@bookTicker", Wait));

        using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId=both-1", UriKind.Relative), null);
        order.EnsureSuccessStatusCode();

        var update = await messages.NextAsync(m => m.GetProperty("stream").GetString() == key, Wait);
        Assert.Equal("ORDER_TRADE_UPDATE", update?.GetProperty("data").GetProperty("e").GetString());
        Assert.Equal("both-1", update?.GetProperty("data").GetProperty("o").GetProperty("c").GetString());
    }
}
