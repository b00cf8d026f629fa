namespace TradeFinder.Gateway.Cluster;

/// <summary>Replica log events: the shared Redis and the leadership (ids 8xx).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(800, LogLevel.Information, "Replica {Replica} uses the shared Redis (connected at start: {Connected})", EventName = "RedisConnecting")]
    public static partial void RedisConnecting(ILogger logger, string replica, bool connected);

    [LoggerMessage(801, LogLevel.Warning, "Replica {Replica}: shared Redis unreachable; budgets fall back to this replica's share, orders that add risk are refused until it is back", EventName = "RedisUnavailable")]
    public static partial void RedisUnavailable(ILogger logger, string replica);

    [LoggerMessage(802, LogLevel.Information, "Replica {Replica}: shared Redis reachable again; budgets are shared", EventName = "RedisRestored")]
    public static partial void RedisRestored(ILogger logger, string replica);

    [LoggerMessage(803, LogLevel.Warning, "Shared Redis command failed ({Error}): {Message}", EventName = "RedisCommandFailed")]
    public static partial void RedisCommandFailed(ILogger logger, string error, string message);

    [LoggerMessage(810, LogLevel.Information, "Replica {Replica} leads (term {Term}): position watch and account-wide alerts run here", EventName = "Leading")]
    public static partial void Leading(ILogger logger, string replica, long term);

    [LoggerMessage(811, LogLevel.Warning, "Replica {Replica} stepped down as leader ({Why}); another replica takes over", EventName = "SteppedDown")]
    public static partial void SteppedDown(ILogger logger, string replica, string why);
}
