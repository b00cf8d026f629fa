using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TradeFinder.Gateway.Cluster;

/// <summary>
/// The replicas' Redis: one multiplexed connection for the hot shared counters, the back-off channel and the
/// membership. <see cref="Available"/> is what callers branch on: false while disconnected and, after a command failed
/// or timed out, for <see cref="ClusterOptions.RetryMilliseconds"/>, so a slow or dead Redis costs one timeout per
/// retry period, not one per request. The configuration string may hold a password: it is never logged.
/// </summary>
internal sealed partial class SharedRedis : IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedRedis> _logger;
    private readonly TimeSpan _retry;
    private long _localUntil;
    private int _reported = 1;

    public SharedRedis(IOptions<ClusterOptions> options, TimeProvider time, ILogger<SharedRedis> logger)
    {
        var o = options.Value;
        _time = time;
        _logger = logger;
        _retry = TimeSpan.FromMilliseconds(o.RetryMilliseconds);
        ReplicaId = o.ReplicaId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}";
        var config = ConfigurationOptions.Parse(o.Redis!);
        config.AbortOnConnectFail = false; // start (and serve from the local share) while Redis is down
        config.ClientName ??= ReplicaId;
        config.AsyncTimeout = o.TimeoutMilliseconds;
        config.SyncTimeout = o.TimeoutMilliseconds;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2_000);
        config.ReconnectRetryPolicy = new LinearRetry(500);
        _connection = ConnectionMultiplexer.Connect(config);
        _connection.ConnectionFailed += (_, _) => Failed(null); // logged once, by Available's transition
        Log.Connecting(logger, ReplicaId, _connection.IsConnected);
    }

    public string ReplicaId { get; }

    public IDatabase Database => _connection.GetDatabase();

    public ISubscriber Subscriber => _connection.GetSubscriber();

    /// <summary>Whether shared state can be used now; the first call after a change logs it.</summary>
    public bool Available
    {
        get
        {
            var available = _connection.IsConnected && _time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _localUntil);
            if (Interlocked.Exchange(ref _reported, available ? 1 : 0) != (available ? 1 : 0))
            {
                if (available)
                {
                    Log.Restored(_logger, ReplicaId);
                }
                else
                {
                    Log.Unavailable(_logger, ReplicaId);
                }
            }

            return available;
        }
    }

    /// <summary>A command failed or timed out: work from the local share until the retry period has passed.</summary>
    public void Failed(Exception? error)
    {
        Interlocked.Exchange(ref _localUntil, (_time.GetUtcNow() + _retry).UtcTicks);
        if (error is not null)
        {
            Log.CommandFailed(_logger, error.GetType().Name, error.Message);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Replica {Replica} uses the shared Redis (connected at start: {Connected})")]
        public static partial void Connecting(ILogger logger, string replica, bool connected);

        [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Replica {Replica}: shared Redis unreachable; budgets fall back to this replica's share, orders that add risk are refused until it is back")]
        public static partial void Unavailable(ILogger logger, string replica);

        [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Replica {Replica}: shared Redis reachable again; budgets are shared")]
        public static partial void Restored(ILogger logger, string replica);

        [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Shared Redis command failed ({Error}): {Message}")]
        public static partial void CommandFailed(ILogger logger, string error, string message);
    }
}
