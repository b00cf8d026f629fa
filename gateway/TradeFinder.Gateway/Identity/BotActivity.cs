using System.Collections.Concurrent;

namespace TradeFinder.Gateway.Identity;

/// <summary>When each bot was last seen (its last authenticated request), for the live page and the dead-man checks.</summary>
internal sealed class BotActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _lastSeenMs = new(StringComparer.Ordinal);

    public void Seen(string bot)
    {
        var now = time.GetUtcNow();
        _lastSeenMs[bot] = now.ToUnixTimeMilliseconds();
        Requested?.Invoke(bot, now);
    }

    /// <summary>Every authenticated request (bot, time), for the anomaly detectors.</summary>
    public event Action<string, DateTimeOffset>? Requested;

    public DateTimeOffset? LastSeen(string bot) => _lastSeenMs.TryGetValue(bot, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
