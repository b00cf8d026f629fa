using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Context;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Budgets;

/// <summary>Back-offs the exchange asked for, shared by replicas through one real Redis.</summary>
public sealed class SharedBackoffTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 10, TimeSpan.Zero));
    private readonly List<IDisposable> _owned = [];
    private readonly List<string> _dirs = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        _owned.ForEach(d => d.Dispose());
        _dirs.ForEach(TempDirectory.Delete);
        await _redis.DisposeAsync();
    }

    private (UpstreamBackoff Backoff, SharedRedis Redis) Replica()
    {
        var redis = new SharedRedis(Options.Create(new ClusterOptions { Redis = _redis.ConnectionString, TimeoutMilliseconds = 5_000 }), _time, NullLogger<SharedRedis>.Instance);
        _owned.Add(redis);
        Assert.True(SpinWait.SpinUntil(() => redis.Available, TimeSpan.FromSeconds(10)), "the replica connects to Redis");
        var dir = TempDirectory.Create("tf-backoff");
        _dirs.Add(dir);
        return (new UpstreamBackoff(new GatewayPaths(dir), _time, redis), redis);
    }

    [Fact]
    public async Task AShortBackOffAnsweredToOneReplica_DoesNotShortenABanAnotherRecorded_ForAReplicaStartingLater()
    {
        var (banned, bannedRedis) = Replica();
        var (throttled, throttledRedis) = Replica();

        banned.Record(TradingMode.Live, 418, "120", null);
        await bannedRedis.Database.PingAsync(); // answered after the replica's fire-and-forget write, on the same connection
        throttled.Record(TradingMode.Live, 429, "5", null);
        await throttledRedis.Database.PingAsync();

        var (later, _) = Replica();

        Assert.InRange(later.Remaining(TradingMode.Live).TotalSeconds, 119, 120);
    }
}
