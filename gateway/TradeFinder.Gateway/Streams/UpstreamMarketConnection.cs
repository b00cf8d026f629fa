using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using TradeFinder.Contracts.Modes;
using TradeFinder.Contracts.Streams;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// One upstream combined-stream connection of a mode and route. Stream changes queue up and go out as SUBSCRIBE /
/// UNSUBSCRIBE messages, coalesced and paced under the exchange's incoming-message limit; after a reconnect (back-off
/// and jitter, attempts paced per mode, and before the exchange's 24-hour cut) every stream it holds is subscribed again.
/// </summary>
internal sealed class UpstreamMarketConnection(
    MarketStreamHub hub, TradingMode mode, MarketStreamRoute route, Uri url, StreamPacer connects, StreamPacer messages, Lock hubGate,
    TimeProvider time, ILogger logger)
{
    private const int StreamsPerMessage = 100;
    private static readonly TimeSpan ReconnectBefore = TimeSpan.FromHours(23);
    private readonly HashSet<string> _streams = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, string[]> _awaiting = new();
    private Task? _running;
    private long _nextId;

    public TradingMode Mode => mode;

    public MarketStreamRoute Route => route;

    public Uri Url => url;

    /// <summary>Set under the hub's lock when the connection closes for holding nothing; no stream is added after.</summary>
    public bool Retired { get; set; }

    public int StreamCount => _streams.Count;

    public int Reconnects { get; private set; }

    /// <summary>SUBSCRIBE/UNSUBSCRIBE messages sent since start.</summary>
    public int MessagesSent { get; private set; }

    /// <summary>Now minus the event time of a recent message.</summary>
    public double LagMs { get; private set; }

    public long MessagesReceived { get; private set; }

    public Task Stopped => _running ?? Task.CompletedTask;

    /// <summary>Under the hub's lock.</summary>
    public void Add(string stream)
    {
        _streams.Add(stream);
        _changed.Writer.TryWrite(true);
    }

    /// <summary>Under the hub's lock.</summary>
    public void Remove(string stream)
    {
        _streams.Remove(stream);
        _changed.Writer.TryWrite(true);
    }

    /// <summary>The streams of the SUBSCRIBE the exchange just answered.</summary>
    public IEnumerable<string> Answered(long id) => _awaiting.TryRemove(id, out var names) ? names : [];

    public void Start(CancellationToken stopping) => _running = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    /// <summary>Counts a message and, now and then, reads its event time for the lag gauge.</summary>
    public void Observe(ReadOnlyMemory<byte> data)
    {
        if (MessagesReceived++ % 32 != 0)
        {
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(data.Span);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isTime = reader.ValueTextEquals("E"u8);
                    reader.Read();
                    if (isTime && reader.TryGetInt64(out var eventMs))
                    {
                        LagMs = Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - eventMs);
                        return;
                    }

                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not an object with an event time (array streams): no lag sample.
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await connects.WaitAsync(stopping).ConfigureAwait(false);
                using var socket = new ClientWebSocket();
                socket.Options.Proxy = null;
                await socket.ConnectAsync(url, stopping).ConfigureAwait(false);
                StreamsLog.MarketUpstreamConnected(logger, mode.ToConfigValue(), url.GetLeftPart(UriPartial.Path));
                backoff = TimeSpan.FromSeconds(1);
                _sent.Clear();
                using var expiry = new CancellationTokenSource(ReconnectBefore, time);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping, expiry.Token);
                var reading = ReadAsync(socket, connection);
                var retired = await SendChangesAsync(socket, connection.Token).ConfigureAwait(false);
                await connection.CancelAsync().ConfigureAwait(false);
                await reading.ConfigureAwait(false);
                if (retired)
                {
                    await CloseAsync(socket).ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                StreamsLog.MarketUpstreamLost(logger, mode.ToConfigValue(), url.GetLeftPart(UriPartial.Path), ex.Message);
            }

            Reconnects++;
            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), time, stopping).ConfigureAwait(false);
            backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
        }
    }

    /// <summary>Brings the upstream subscriptions to the wanted set, again at every change; true when the connection retired.</summary>
    private async Task<bool> SendChangesAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<string> subscribe, unsubscribe;
            lock (hubGate)
            {
                subscribe = [.. _streams.Where(s => !_sent.Contains(s))];
                unsubscribe = [.. _sent.Where(s => !_streams.Contains(s))];
            }

            foreach (var (names, on) in subscribe.Chunk(StreamsPerMessage).Select(c => (c, true)).Concat(unsubscribe.Chunk(StreamsPerMessage).Select(c => (c, false))))
            {
                await messages.WaitAsync(cancellationToken).ConfigureAwait(false);
                var id = ++_nextId;
                if (on)
                {
                    _awaiting[id] = names;
                }

                await socket.SendAsync(MarketStreamControl.Request(on, names, id), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                MessagesSent++;
                foreach (var name in names)
                {
                    _ = on ? _sent.Add(name) : _sent.Remove(name);
                }
            }

            if (_sent.Count == 0 && hub.TryRetire(this))
            {
                return true;
            }

            // A socket the exchange closed ends the wait too, so the loop reconnects.
            await _changed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            _changed.Reader.TryRead(out _);
        }
    }

    private async Task ReadAsync(ClientWebSocket socket, CancellationTokenSource connection)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var part = await socket.ReceiveAsync(buffer, connection.Token).ConfigureAwait(false);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    hub.Dispatch(this, message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Ended by us or lost: the run loop decides.
        }

        await connection.CancelAsync().ConfigureAwait(false);
    }

    private async Task CloseAsync(ClientWebSocket socket)
    {
        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Gone already.
        }
    }
}
