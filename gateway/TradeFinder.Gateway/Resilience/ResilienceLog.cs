namespace TradeFinder.Gateway.Resilience;

/// <summary>Circuit breaker log events (ids 310-311).</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(310, LogLevel.Warning, "Circuit breaker {Breaker} opened for {Seconds} s: the upstream is failing", EventName = "BreakerOpened")]
    public static partial void BreakerOpened(ILogger logger, string breaker, string seconds);

    [LoggerMessage(311, LogLevel.Information, "Circuit breaker {Breaker} closed: the upstream answers again", EventName = "BreakerClosed")]
    public static partial void BreakerClosed(ILogger logger, string breaker);
}
