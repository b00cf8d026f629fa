namespace TradeFinder.Gateway.Anomalies;

/// <summary>Events per key over a sliding window (refusals per bot a minute, refused certificates per source), thread-safe.</summary>
internal sealed class SlidingCounts<TKey>(TimeSpan window, int maxKeys = 10_000)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Queue<DateTimeOffset>> _events = [];

    /// <summary>Counts an event of <paramref name="key"/> at <paramref name="now"/>; returns the key's events in the window.</summary>
    public int Add(TKey key, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue(key, out var times))
            {
                if (_events.Count >= maxKeys)
                {
                    _events.Clear(); // a flood of distinct keys must not grow this without bound
                }

                times = new Queue<DateTimeOffset>();
                _events[key] = times;
            }

            times.Enqueue(now);
            while (now - times.Peek() > window)
            {
                times.Dequeue();
            }

            return times.Count;
        }
    }
}
