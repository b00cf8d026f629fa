namespace TradeFinder.Gateway.Context;

/// <summary>A token bucket refilled continuously at a rate, holding at most one second's worth.</summary>
internal sealed class TokenBucket(int perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = perSecond;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(perSecond, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
