using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace TradeFinder.Gateway.Cluster;

/// <summary>
/// The replicas' Redis: one multiplexed connection for the hot shared counters, the back-off channel and the
/// membership. <see cref="Available"/> is what callers branch on: false while disconnected and, after a command failed
/// or timed out, for <see cref="ClusterOptions.RetryMilliseconds"/>, so a slow or dead Redis costs one timeout per
/// retry period, not one per request. The configuration string may hold a password: it is never logged.
/// </summary>
internal sealed class SharedRedis : IDisposable
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
        ReplicaId = o.ReplicaId ?? ClusterOptions.NewReplicaId();
        var config = ConfigurationOptions.Parse(o.Redis!);
        config.AbortOnConnectFail = false; // start (and serve from the local share) while Redis is down
        config.ClientName ??= ReplicaId;
        config.AsyncTimeout = o.TimeoutMilliseconds;
        config.SyncTimeout = o.TimeoutMilliseconds;
        config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2_000);
        config.ReconnectRetryPolicy = new LinearRetry(500);
        _connection = ConnectionMultiplexer.Connect(config);
        _connection.ConnectionFailed += (_, _) => Failed(null); // logged once, by Available's transition
        ClusterLog.RedisConnecting(logger, ReplicaId, _connection.IsConnected);
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
            var state = available ? 1 : 0;

            // Read before writing: this runs on every request, and a write per call would bounce the cache line between cores.
            if (Volatile.Read(ref _reported) != state && Interlocked.Exchange(ref _reported, state) != state)
            {
                if (available)
                {
                    ClusterLog.RedisRestored(_logger, ReplicaId);
                }
                else
                {
                    ClusterLog.RedisUnavailable(_logger, ReplicaId);
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
            ClusterLog.RedisCommandFailed(_logger, error.GetType().Name, error.Message);
        }
    }

    public void Dispose() => _connection.Dispose();

}
