using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using TradeFinder.Contracts.Streams;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Api;

/// <summary>
/// Market streams over WebSocket with the exchange's URL shapes (Binance USDⓈ-M Futures "WebSocket Market Streams"):
/// <c>/ws/&lt;stream&gt;</c> (raw payloads), <c>/stream?streams=a/b</c> (combined <c>{"stream","data"}</c>), the routed
/// <c>/public</c> and <c>/market</c> forms of both, and SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY /
/// GET_PROPERTY on any of them. At most 1024 streams and 10 incoming messages a second per connection, as on the
/// exchange; a name that is not a stream is accepted and stays silent, as there. <c>/ws/&lt;listenKey&gt;</c> is the user-data stream.
/// </summary>
internal static class MarketStreamApi
{
    public const int MaxStreamsPerConnection = 1024;
    public const int MaxIncomingPerSecond = 10;

    public static void MapMarketStreamApi(this WebApplication app)
    {
        foreach (var route in new[] { "", "/public", "/market" })
        {
            app.Map(route + "/ws", (HttpContext c, MarketStreamFeed feed, TimeProvider time) => StreamAsync(c, [], combined: false, feed, time));
            app.Map(route + "/stream", (HttpContext c, MarketStreamFeed feed, TimeProvider time) =>
                StreamAsync(c, ((string?)c.Request.Query["streams"] ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries), combined: true, feed, time));
            app.Map(route + "/ws/{**names}", (HttpContext c, string names, MarketStreamFeed feed, PaperVenue venue, TimeProvider time) =>
                route == "" && !names.Contains('/', StringComparison.Ordinal) && !MarketStreamName.LooksLikeStream(names)
                    ? StreamApi.StreamAsync(c, names, venue, time)
                    : StreamAsync(c, names.Split('/', StringSplitOptions.RemoveEmptyEntries), combined: false, feed, time));
        }
    }

    private static async Task StreamAsync(HttpContext context, string[] initial, bool combined, MarketStreamFeed feed, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var subscriptions = new Subscriptions(combined);
        subscriptions.Subscribe(initial.Take(MaxStreamsPerConnection));
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        using var ticks = CancellationTokenSource.CreateLinkedTokenSource(closed.Token);
        var receiving = ReceiveAsync(socket, subscriptions, outbox.Writer, time, closed);
        var ticking = TickAsync(subscriptions, feed, outbox.Writer, time, ticks.Token);
        try
        {
            await foreach (var frame in outbox.Reader.ReadAllAsync(closed.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, closed.Token).ConfigureAwait(false);
            }

            // The reader ended the outbox: the client sent too much. What it was answered before has gone out; the
            // close follows it from this, the only sender (a close sent by the reader raced the last answers).
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "Too many requests", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            // The reader keeps reading until the client answers our close (or the grace ends), so it reads the close
            // instead of a reset connection.
            await ticks.CancelAsync().ConfigureAwait(false);
            await ticking.ConfigureAwait(false);
            await StreamConnection.EndAsync(socket, receiving, closed, TimeSpan.FromSeconds(2), time).ConfigureAwait(false);
        }
    }

    private static async Task TickAsync(Subscriptions subscriptions, MarketStreamFeed feed, ChannelWriter<byte[]> outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                await Task.Delay(TimeSpan.FromMilliseconds(1000 - (now % 1000)), time, cancellationToken).ConfigureAwait(false);
                var second = time.GetUtcNow().ToUnixTimeSeconds();
                foreach (var (stream, previous) in subscriptions.Due(second))
                {
                    foreach (var payload in feed.EventsAt(stream, second, previous))
                    {
                        outbox.TryWrite(subscriptions.Combined ? MarketStreamControl.Combined(stream.Name, payload) : payload);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Connection over.
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, Subscriptions subscriptions, ChannelWriter<byte[]> outbox, TimeProvider time, CancellationTokenSource closed)
    {
        var buffer = new byte[16 * 1024];
        var rate = new IncomingMessageRate(MaxIncomingPerSecond, time);
        var cutOff = false;
        try
        {
            // After our close is sent the client's answer to it is still read (CloseSent).
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var part = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (cutOff)
                {
                    continue;
                }

                if (!rate.TryCount())
                {
                    // No more answers; the sender closes once the ones already queued are out.
                    outbox.TryComplete();
                    cutOff = true;
                    continue;
                }

                outbox.TryWrite(Encoding.UTF8.GetBytes(subscriptions.Answer(buffer.AsSpan(0, part.Count))));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed from either side.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>One connection's subscriptions and the last second sent on each.</summary>
    private sealed class Subscriptions(bool combined)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _order = [];
        private readonly Dictionary<string, (MarketStreamName? Stream, long Last)> _streams = new(StringComparer.Ordinal);

        public bool Combined { get; private set; } = combined;

        public void Subscribe(IEnumerable<string> names)
        {
            lock (_gate)
            {
                foreach (var name in names.Where(n => !_streams.ContainsKey(n)))
                {
                    _streams[name] = (MarketStreamName.Parse(name), 0);
                    _order.Add(name);
                }
            }
        }

        public List<(MarketStreamName Stream, long Previous)> Due(long second)
        {
            lock (_gate)
            {
                var due = new List<(MarketStreamName, long)>();
                foreach (var name in _order)
                {
                    if (_streams[name] is ({ } stream, var last) && last < second)
                    {
                        due.Add((stream, last));
                        _streams[name] = (stream, second);
                    }
                }

                return due;
            }
        }

        public string Answer(ReadOnlySpan<byte> message)
        {
            if (MarketStreamControl.Parse(message, out var error) is not { } request)
            {
                return error!;
            }

            lock (_gate)
            {
                switch (request.Method)
                {
                    case MarketStreamMethod.Subscribe:
                        if (_order.Union(request.Streams).Count() > MaxStreamsPerConnection)
                        {
                            return MarketStreamControl.Error(2, $"Invalid request: at most {MaxStreamsPerConnection} streams per connection", request.Id);
                        }

                        Subscribe(request.Streams);
                        return MarketStreamControl.Result(request.Id, "null");
                    case MarketStreamMethod.Unsubscribe:
                        foreach (var name in request.Streams)
                        {
                            _streams.Remove(name);
                            _order.Remove(name);
                        }

                        return MarketStreamControl.Result(request.Id, "null");
                    case MarketStreamMethod.ListSubscriptions:
                        return MarketStreamControl.List(request.Id, _order);
                    case MarketStreamMethod.SetProperty:
                        Combined = request.Combined;
                        return MarketStreamControl.Result(request.Id, "null");
                    default:
                        return MarketStreamControl.Result(request.Id, Combined ? "true" : "false");
                }
            }
        }
    }
}
