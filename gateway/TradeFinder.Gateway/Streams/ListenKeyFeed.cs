using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// One bot's virtual listen key and what it has been sent: every event the bot may see gets the next number of this
/// key (<c>"gs"</c>, added to the exchange's event), and the last minute of them is kept, so a bot that reconnects with
/// <c>?since=N</c> gets what it missed before the live events, without a gap (or is told where the gap is).
/// </summary>
internal sealed class ListenKeyFeed(string key, BotIdentity bot, DateTimeOffset expires)
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(1);
    private const int ReplayCapacity = 10_000;
    private readonly Lock _gate = new();
    private readonly Queue<(long Seq, string Json, DateTimeOffset At)> _replay = new();
    private readonly List<BotStreamSession> _sessions = [];
    private long _seq;

    public string Key { get; } = key;

    public BotIdentity Bot { get; set; } = bot;

    public ExchangeAccount Account => Bot.Account;

    public DateTimeOffset Expires { get; set; } = expires;

    public int Sessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Numbers the event, keeps it for replay and hands it to the key's connections.</summary>
    public void Publish(string view, DateTimeOffset now)
    {
        lock (_gate)
        {
            var json = string.Concat(view.AsSpan(0, view.LastIndexOf('}')), ",\"gs\":", (++_seq).ToString(System.Globalization.CultureInfo.InvariantCulture), "}");
            _replay.Enqueue((_seq, json, now));
            while (_replay.Count > ReplayCapacity || (_replay.Count > 0 && now - _replay.Peek().At > ReplayWindow))
            {
                _replay.Dequeue();
            }

            foreach (var session in _sessions)
            {
                session.Offer(json);
            }
        }
    }

    /// <summary>
    /// Attaches a connection; with <paramref name="since"/>, returns the kept events after it (in order) and whether
    /// some were already dropped (older than the replay window). Events published from here on go to the connection.
    /// </summary>
    public (IReadOnlyList<string> Replay, bool Gap) Attach(BotStreamSession session, long? since)
    {
        lock (_gate)
        {
            _sessions.Add(session);
            if (since is not { } from)
            {
                return ([], false);
            }

            var oldest = _replay.Count > 0 ? _replay.Peek().Seq : _seq + 1;
            return ([.. _replay.Where(e => e.Seq > from).Select(e => e.Json)], from + 1 < oldest && from < _seq);
        }
    }

    public void Detach(BotStreamSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
        }
    }

    public void EndSessions(string reason)
    {
        lock (_gate)
        {
            foreach (var session in _sessions)
            {
                session.End(reason);
            }
        }
    }
}
