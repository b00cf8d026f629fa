using System.Collections.Concurrent;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Clock;

/// <summary>
/// Exchange time per upstream: our clock plus the measured offset, so signed requests are never rejected
/// with -1021 because this machine's clock drifts.
/// </summary>
internal sealed class ExchangeClock(TimeProvider time)
{
    private readonly ConcurrentDictionary<TradingMode, long> _offsetsMs = new();

    public long NowMs(TradingMode mode) => time.GetUtcNow().ToUnixTimeMilliseconds() + _offsetsMs.GetValueOrDefault(mode);

    public void SetOffset(TradingMode mode, long offsetMs) => _offsetsMs[mode] = offsetMs;
}
