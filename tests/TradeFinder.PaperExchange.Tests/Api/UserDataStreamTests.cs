using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Api;

/// <summary>The simulator publishes the account's user-data stream as the exchange does, so stream clients work offline.</summary>
public sealed class UserDataStreamTests : IAsyncLifetime
{
    private PaperHarness _paper = null!;

    public async Task InitializeAsync()
    {
        _paper = await StartAsync();
        await _paper.PinAsync("BTCUSDT", 50_000m);
    }

    public async Task DisposeAsync() => await _paper.DisposeAsync();

    private async Task<ClientWebSocket> ConnectAsync(string listenKey)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(_paper.Server.BaseAddress) { Scheme = "ws", Path = "/ws/" + listenKey }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    internal static async Task<JsonElement> NextAsync(WebSocket socket, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
    }

    [Fact]
    public async Task OrderAndFill_ArePushed_AsOrderTradeUpdates_ThenAnAccountUpdate()
    {
        var key = (await _paper.OkAsync(HttpMethod.Post, "fapi/v1/listenKey", signed: false)).GetProperty("listenKey").GetString()!;
        using var socket = await ConnectAsync(key);

        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=stream-1");

        var placed = await NextAsync(socket);
        var filled = await NextAsync(socket);
        var account = await NextAsync(socket);
        Assert.Equal(("ORDER_TRADE_UPDATE", "NEW", "stream-1"), (placed.GetProperty("e").GetString(), placed.GetProperty("o").GetProperty("x").GetString(), placed.GetProperty("o").GetProperty("c").GetString()));
        Assert.Equal(("TRADE", "FILLED", "0.010"), (filled.GetProperty("o").GetProperty("x").GetString(), filled.GetProperty("o").GetProperty("X").GetString(), filled.GetProperty("o").GetProperty("z").GetString()));
        Assert.Equal("ACCOUNT_UPDATE", account.GetProperty("e").GetString());
        Assert.Contains(account.GetProperty("a").GetProperty("P").EnumerateArray(), p => p.GetProperty("s").GetString() == "BTCUSDT" && p.GetProperty("pa").GetString() == "0.010");
    }

    [Fact]
    public async Task AnExpiredKey_GetsListenKeyExpired_AndAnUnknownKeyIsRefused()
    {
        var key = (await _paper.OkAsync(HttpMethod.Post, "fapi/v1/listenKey", signed: false)).GetProperty("listenKey").GetString()!;
        using var socket = await ConnectAsync(key);

        _paper.Advance(TimeSpan.FromMinutes(61));
        await _paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=40000");

        Assert.Equal("listenKeyExpired", (await NextAsync(socket)).GetProperty("e").GetString());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => ConnectAsync("no-such-key"));
    }
}
