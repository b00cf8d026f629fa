using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Api;

/// <summary>The simulator publishes the exchange's market streams from the same price process as its REST market data.</summary>
public sealed class MarketStreamTests : IAsyncLifetime
{
    private PaperHarness _paper = null!;

    public async Task InitializeAsync() => _paper = await StartAsync(fakeTime: false);

    public async Task DisposeAsync() => await _paper.DisposeAsync();

    private async Task<ClientWebSocket> ConnectAsync(string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(new UriBuilder(_paper.Server.BaseAddress) { Scheme = "ws" }.Uri, pathAndQuery), CancellationToken.None);
        return socket;
    }

    private static async Task<JsonElement> NextAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, part.MessageType);
            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>The next answer to a control message (stream events may arrive first).</summary>
    private static async Task<string> AnswerAsync(WebSocket socket)
    {
        while (true)
        {
            var message = await NextAsync(socket);
            if (message.TryGetProperty("id", out _))
            {
                return message.GetRawText();
            }
        }
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task DiffDepthApplied_ToARestSnapshot_GivesThePartialDepthOfEachSecond()
    {
        // ccxt's and the exchange's documented way to keep a local book: buffer diffs, read a snapshot, drop diffs with
        // u < lastUpdateId, apply the one with U <= lastUpdateId <= u, then each whose pu is the previous u.
        using var socket = await ConnectAsync("market/stream?streams=btcusdt@depth/btcusdt@depth5");
        var buffered = new List<JsonElement> { await NextAsync(socket) };
        var snapshot = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/depth", "symbol=BTCUSDT&limit=1000", signed: false);
        var nonce = snapshot.GetProperty("lastUpdateId").GetInt64();
        var bids = Levels(snapshot.GetProperty("bids"));
        var asks = Levels(snapshot.GetProperty("asks"));

        var checkedSeconds = 0;
        long? previous = null;
        while (checkedSeconds < 3)
        {
            var message = buffered.Count > 0 ? buffered[0] : await NextAsync(socket);
            if (buffered.Count > 0)
            {
                buffered.RemoveAt(0);
            }

            var stream = message.GetProperty("stream").GetString();
            var data = message.GetProperty("data");
            var (first, last, prior) = (data.GetProperty("U").GetInt64(), data.GetProperty("u").GetInt64(), data.GetProperty("pu").GetInt64());
            if (stream == "btcusdt@depth")
            {
                if (last < nonce)
                {
                    continue;
                }

                Assert.True(previous is null ? first <= nonce : prior == previous, $"diff {first}..{last} (pu {prior}) does not follow {previous ?? nonce}");
                previous = last;
                Apply(bids, data.GetProperty("b"));
                Apply(asks, data.GetProperty("a"));
            }
            else if (previous == last)
            {
                Assert.Equal(Top(data.GetProperty("b")), bids.OrderByDescending(l => l.Key).Take(5).Select(Text));
                Assert.Equal(Top(data.GetProperty("a")), asks.OrderBy(l => l.Key).Take(5).Select(Text));
                checkedSeconds++;
            }
        }

        static Dictionary<decimal, decimal> Levels(JsonElement side) =>
            side.EnumerateArray().ToDictionary(l => decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture), l => decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture));

        static void Apply(Dictionary<decimal, decimal> book, JsonElement changes)
        {
            foreach (var (price, qty) in Levels(changes))
            {
                if (qty == 0)
                {
                    book.Remove(price);
                }
                else
                {
                    book[price] = qty;
                }
            }
        }

        static IEnumerable<string> Top(JsonElement side) => side.EnumerateArray().Select(l => l[0].GetString() + "x" + l[1].GetString());

        static string Text(KeyValuePair<decimal, decimal> level) => level.Key.ToString("F2", CultureInfo.InvariantCulture) + "x" + level.Value.ToString("F3", CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task RawStream_CarriesTheExchangesEvent_AndItsTradeMatchesRest()
    {
        using var socket = await ConnectAsync("ws/btcusdt@aggTrade");
        var trade = await NextAsync(socket);

        Assert.Equal("aggTrade", trade.GetProperty("e").GetString());
        Assert.Equal("BTCUSDT", trade.GetProperty("s").GetString());
        var rest = await _paper.OkAsync(HttpMethod.Get, "fapi/v1/trades", "symbol=BTCUSDT&limit=20", signed: false);
        var same = rest.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == trade.GetProperty("a").GetInt64());
        Assert.Equal(same.GetProperty("price").GetString(), trade.GetProperty("p").GetString());
        Assert.Equal(same.GetProperty("qty").GetString(), trade.GetProperty("q").GetString());
    }

    [Fact]
    public async Task ControlMessages_SubscribeListUnsubscribeAndCombined_AnswerInTheExchangesShapes()
    {
        using var socket = await ConnectAsync("ws");
        await SendAsync(socket, """{"method":"SUBSCRIBE","params":["ethusdt@bookTicker","ethusdt@kline_1m"],"id":1}""");
        Assert.Equal("""{"result":null,"id":1}""", await AnswerAsync(socket));
        await SendAsync(socket, """{"method":"LIST_SUBSCRIPTIONS","id":2}""");
        Assert.Equal("""{"result":["ethusdt@bookTicker","ethusdt@kline_1m"],"id":2}""", await AnswerAsync(socket));

        JsonElement e;
        do
        {
            e = await NextAsync(socket);
        }
        while (!e.TryGetProperty("e", out var type) || type.GetString() != "kline");
        Assert.Equal("1m", e.GetProperty("k").GetProperty("i").GetString());

        await SendAsync(socket, """{"method":"SET_PROPERTY","params":["combined",true],"id":3}""");
        await SendAsync(socket, """{"method":"GET_PROPERTY","params":["combined"],"id":4}""");
        await SendAsync(socket, """{"method":"UNSUBSCRIBE","params":["ethusdt@kline_1m"],"id":5}""");
        await SendAsync(socket, """{"method":"PING","id":6}""");
        var answers = new List<string>();
        while (answers.Count < 4)
        {
            var message = await NextAsync(socket);
            if (message.TryGetProperty("id", out _))
            {
                answers.Add(message.GetRawText());
            }
            else if (answers.Count >= 1)
            {
                Assert.Equal("ethusdt@bookTicker", message.GetProperty("stream").GetString());
            }
        }

        Assert.Equal("""{"result":null,"id":3}""", answers[0]);
        Assert.Equal("""{"result":true,"id":4}""", answers[1]);
        Assert.Equal("""{"result":null,"id":5}""", answers[2]);
        Assert.StartsWith("""{"code":2,"msg":"Invalid request: unknown variant PING""", answers[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanTenMessagesASecond_EndsTheConnection()
    {
        using var socket = await ConnectAsync("ws");
        for (var i = 0; i < 12 && socket.State == WebSocketState.Open; i++)
        {
            await SendAsync(socket, $$"""{"method":"LIST_SUBSCRIPTIONS","id":{{i}}}""");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var answered = new List<int>();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Text)
            {
                using var answer = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                answered.Add(answer.RootElement.GetProperty("id").GetInt32());
            }
        }
        while (result.MessageType != WebSocketMessageType.Close);

        // The ten allowed are answered, in order, before the close; the close is a completed handshake, not a reset.
        Assert.Equal(Enumerable.Range(0, 10), answered);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }
}
