using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Contracts.Streams;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// Market streams subscribed once upstream and fanned out to any number of bots. A stream's first subscriber opens it
/// on an upstream connection of its mode and route (packed up to <see cref="StreamsOptions.MaxStreamsPerUpstreamConnection"/>
/// streams, new connections paced per mode); its last one closes it; a connection left with no stream is closed.
/// </summary>
internal sealed class MarketStreamHub : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(TradingMode Mode, string Stream), Topic> _topics = [];
    private readonly List<UpstreamMarketConnection> _connections = [];
    private readonly Dictionary<TradingMode, StreamPacer> _connectPacers = [];
    private readonly Dictionary<string, int> _streamsPerBot = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _connectionsPerBot = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly StreamEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly ILogger<MarketStreamHub> _logger;

    public MarketStreamHub(StreamEndpoints endpoints, IOptions<StreamsOptions> options, TimeProvider time, ILogger<MarketStreamHub> logger, GatewayMetrics? metrics = null)
    {
        _endpoints = endpoints;
        _time = time;
        _logger = logger;
        Options = options.Value;
        metrics?.ObserveMarketStreams(() =>
        {
            lock (_gate)
            {
                return [.. _connections.GroupBy(c => c.Mode).Select(g => (g.Key.ToConfigValue(), g.Count(), g.Sum(c => c.StreamCount),
                    _topics.Where(t => t.Key.Mode == g.Key).Sum(t => t.Value.Subscribers.Length), g.Sum(c => (long)c.Reconnects), g.Max(c => c.LagMs)))];
            }
        });
    }

    public StreamsOptions Options { get; }

    /// <summary>The upstream connections now open or opening.</summary>
    public IReadOnlyList<UpstreamMarketConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Bot connections on a stream (0 when nobody reads it).</summary>
    public int SubscribersOf(TradingMode mode, string stream)
    {
        lock (_gate)
        {
            return _topics.TryGetValue((mode, stream), out var topic) ? topic.Subscribers.Length : 0;
        }
    }

    /// <summary>Counts a new connection of the bot; false when it already holds its maximum.</summary>
    public bool TryOpen(string bot)
    {
        lock (_gate)
        {
            var open = _connectionsPerBot.GetValueOrDefault(bot);
            if (open >= Options.MaxMarketConnectionsPerBot)
            {
                return false;
            }

            _connectionsPerBot[bot] = open + 1;
            return true;
        }
    }

    /// <summary>Everything a closed bot connection held, and the connection itself.</summary>
    public void Close(BotMarketSession session)
    {
        List<string> held;
        lock (_gate)
        {
            held = [.. session.Streams];
            _connectionsPerBot[session.Bot.Name]--;
        }

        Unsubscribe(session, held);
    }

    /// <summary>The connection's streams in subscription order.</summary>
    public List<string> StreamsOf(BotMarketSession session)
    {
        lock (_gate)
        {
            return [.. session.Streams];
        }
    }

    /// <summary>
    /// Adds streams to a bot connection: why not, when refused (the caller answers in its own shape), else null and a task
    /// that completes when the exchange confirmed every new stream upstream (already-open streams are ready at once). A
    /// bot is answered only then, as on the exchange, so a depth snapshot it reads after the answer is bridged by the
    /// stream's next diff.
    /// </summary>
    public (string? Refused, Task Ready) Subscribe(BotMarketSession session, IReadOnlyList<string> names)
    {
        var streams = new List<MarketStreamName>(names.Count);
        foreach (var name in names)
        {
            if (MarketStreamName.Parse(name) is not { } stream)
            {
                return ($"'{Printable(name)}' is not a market stream of this exchange", Task.CompletedTask);
            }

            streams.Add(stream);
        }

        var mode = session.Bot.Account.Mode;
        lock (_gate)
        {
            var added = streams.Select(s => s.Name).Distinct(StringComparer.Ordinal).Where(n => !session.Streams.Contains(n)).ToList();
            var held = _streamsPerBot.GetValueOrDefault(session.Bot.Name);
            if (held + added.Count > Options.MaxMarketStreamsPerBot)
            {
                return ($"bot '{session.Bot.Name}' may hold {Options.MaxMarketStreamsPerBot} market streams and holds {held}", Task.CompletedTask);
            }

            var ready = new List<Task>();

            _streamsPerBot[session.Bot.Name] = held + added.Count;
            foreach (var stream in streams.Where(s => added.Contains(s.Name)).DistinctBy(s => s.Name))
            {
                session.Streams.Add(stream.Name);
                if (!_topics.TryGetValue((mode, stream.Name), out var topic))
                {
                    topic = new Topic(ConnectionFor(mode, stream.Route));
                    _topics[(mode, stream.Name)] = topic;
                    topic.Connection.Add(stream.Name);
                }

                topic.Subscribers = [.. topic.Subscribers, session];
                ready.Add(topic.Ready.Task);
            }

            return (null, Task.WhenAll(ready));
        }
    }

    /// <summary>The exchange answered a SUBSCRIBE: its streams flow from now on.</summary>
    private void Confirm(UpstreamMarketConnection connection, IEnumerable<string> streams)
    {
        lock (_gate)
        {
            foreach (var stream in streams)
            {
                if (_topics.TryGetValue((connection.Mode, stream), out var topic))
                {
                    topic.Ready.TrySetResult();
                }
            }
        }
    }

    public void Unsubscribe(BotMarketSession session, IEnumerable<string> names)
    {
        var mode = session.Bot.Account.Mode;
        lock (_gate)
        {
            foreach (var name in names.Where(session.Streams.Remove).ToList())
            {
                _streamsPerBot[session.Bot.Name]--;
                if (_topics.TryGetValue((mode, name), out var topic))
                {
                    topic.Subscribers = [.. topic.Subscribers.Where(s => s != session)];
                    if (topic.Subscribers.Length == 0)
                    {
                        _topics.Remove((mode, name));
                        topic.Connection.Remove(name);
                    }
                }
            }
        }
    }

    /// <summary>Hands one upstream combined-stream message to the bots on its stream.</summary>
    public void Dispatch(UpstreamMarketConnection connection, byte[] frame)
    {
        string? stream = null;
        long? answered = null;
        int start = -1, end = -1;
        var reader = new Utf8JsonReader(frame);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStream = reader.ValueTextEquals("stream"u8);
                var isData = !isStream && reader.ValueTextEquals("data"u8);
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isStream && reader.TokenType == JsonTokenType.String)
                {
                    stream = reader.GetString();
                }
                else if (isId && reader.TryGetInt64(out var requestId))
                {
                    answered = requestId;
                }
                else if (isData)
                {
                    start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    end = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        if (stream is null || start < 0)
        {
            // A SUBSCRIBE answer; an error one means a stream name the exchange refused (its bots are answered anyway).
            if (frame.AsSpan().IndexOf("\"code\""u8) >= 0)
            {
                StreamsLog.MarketUpstreamRefused(_logger, connection.Mode.ToConfigValue(), System.Text.Encoding.UTF8.GetString(frame));
            }

            if (answered is { } requestId)
            {
                Confirm(connection, connection.Answered(requestId));
            }

            return;
        }

        connection.Observe(frame.AsMemory(start, end - start));
        BotMarketSession[] subscribers;
        lock (_gate)
        {
            if (!_topics.TryGetValue((connection.Mode, stream), out var topic))
            {
                return; // unsubscribed while in flight
            }

            subscribers = topic.Subscribers;
        }

        var message = new MarketFrame(stream, frame, frame.AsMemory(start, end - start));
        foreach (var session in subscribers)
        {
            session.Deliver(message);
        }
    }

    /// <summary>The current streams of a connection, to subscribe after (re)connecting; whether to close it when it holds none.</summary>
    public bool TryRetire(UpstreamMarketConnection connection)
    {
        lock (_gate)
        {
            if (connection.StreamCount > 0)
            {
                return false;
            }

            connection.Retired = true;
            _connections.Remove(connection);
            return true;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var connection in Connections)
        {
            try
            {
                await connection.Stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's stop timeout: leave it.
            }
        }
    }

    /// <summary>Stops the upstream connections; the container calls it once per registration (the hub is also a hosted service).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private UpstreamMarketConnection ConnectionFor(TradingMode mode, MarketStreamRoute route)
    {
        var open = _connections.FirstOrDefault(c => c.Mode == mode && c.Route == route && !c.Retired && c.StreamCount < Options.MaxStreamsPerUpstreamConnection);
        if (open is not null)
        {
            return open;
        }

        if (!_connectPacers.TryGetValue(mode, out var pacer))
        {
            pacer = new StreamPacer(TimeSpan.FromMinutes(1) / Options.UpstreamConnectsPerMinute, _time);
            _connectPacers[mode] = pacer;
        }

        var connection = new UpstreamMarketConnection(this, mode, route, _endpoints.Market(mode, route), pacer,
            new StreamPacer(TimeSpan.FromSeconds(1) / Options.UpstreamMessagesPerSecond, _time), _gate, _time, _logger);
        _connections.Add(connection);
        connection.Start(_stopping.Token);
        return connection;
    }

    private static string Printable(string name) => name.Length > 64 ? name[..64] + "…" : name;

    private sealed class Topic(UpstreamMarketConnection connection)
    {
        public UpstreamMarketConnection Connection { get; } = connection;

        public BotMarketSession[] Subscribers { get; set; } = [];

        /// <summary>Completes when the exchange confirmed the stream's subscription.</summary>
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
