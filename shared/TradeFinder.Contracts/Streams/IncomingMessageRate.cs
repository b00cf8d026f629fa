namespace TradeFinder.Contracts.Streams;

/// <summary>
/// Counts a stream connection's incoming messages over the last second, for the exchange's rule that a connection
/// sending more than a set number a second is disconnected (Binance USDⓈ-M Futures "WebSocket Market Streams": 10).
/// One per connection; not thread-safe (one reader per connection).
/// </summary>
/// <param name="perSecond">Messages allowed in any one second.</param>
/// <param name="time">The clock.</param>
public sealed class IncomingMessageRate(int perSecond, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _window = new();

    /// <summary>Counts one message; false when it is one too many for the last second.</summary>
    /// <returns>True while the connection keeps to the rate.</returns>
    public bool TryCount()
    {
        var now = time.GetUtcNow();
        _window.Enqueue(now);
        while (now - _window.Peek() >= TimeSpan.FromSeconds(1))
        {
            _window.Dequeue();
        }

        return _window.Count <= perSecond;
    }
}
