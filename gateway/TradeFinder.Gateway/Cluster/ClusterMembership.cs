using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Cluster;

/// <summary>
/// Which replicas are alive: each one stamps itself into a sorted set by Redis's own clock (so replicas' clocks need
/// not agree) and drops members silent for longer than the timeout. The last count seen is what a replica divides the
/// exchange's budget by when Redis becomes unreachable.
/// </summary>
internal sealed class ClusterMembership : BackgroundService
{
    private const string Key = "tf:replicas";

    private static readonly LuaScript Beat = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', @key, now, @member)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - tonumber(@timeout))
        redis.call('PEXPIRE', @key, tonumber(@timeout) * 10)
        return redis.call('ZCARD', @key)
        """);

    private readonly SharedRedis _redis;
    private readonly IOptions<ClusterOptions> _options;
    private readonly TimeProvider _time;
    private int _live = 1;

    public ClusterMembership(SharedRedis redis, IOptions<ClusterOptions> options, TimeProvider time, GatewayMetrics metrics)
    {
        _redis = redis;
        _options = options;
        _time = time;
        metrics.ObserveCluster(() => redis.Available, () => LiveReplicas);
    }

    /// <summary>Replicas alive at the last heartbeat that reached Redis (this one included; at least 1).</summary>
    public int LiveReplicas => Volatile.Read(ref _live);

    public async Task BeatAsync()
    {
        if (!_redis.Available)
        {
            return;
        }

        try
        {
            var count = (int)await _redis.Database.ScriptEvaluateAsync(Beat, new { key = (RedisKey)Key, member = _redis.ReplicaId, timeout = _options.Value.MemberTimeoutMilliseconds }).ConfigureAwait(false);
            Volatile.Write(ref _live, Math.Max(1, count));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _redis.Failed(e);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_redis.Available)
        {
            try
            {
                await _redis.Database.SortedSetRemoveAsync(Key, _redis.ReplicaId).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Leaving quietly is enough: the others stop counting this replica after the member timeout.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.Value.HeartbeatMilliseconds), _time);
        do
        {
            await BeatAsync().ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
