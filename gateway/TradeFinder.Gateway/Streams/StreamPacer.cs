namespace TradeFinder.Gateway.Streams;

/// <summary>
/// Spaces actions evenly under an exchange limit (messages per second on a connection, connection attempts per minute):
/// each caller gets the next free slot, at least <c>interval</c> after the previous one, and waits for it.
/// </summary>
internal sealed class StreamPacer(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + interval;
            wait = slot - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
