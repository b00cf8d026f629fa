using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Diagnostics;
using StackExchange.Redis;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Budgets;

/// <summary>Replicas' budgets in one real Redis: the same rules as a single node, for all of them together.</summary>
public sealed class SharedBudgetsTests : IAsyncLifetime
{
    private const TradingMode Live = TradingMode.Live;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 10, TimeSpan.Zero));
    private readonly List<IDisposable> _owned = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        _owned.ForEach(d => d.Dispose());
        await _redis.DisposeAsync();
    }

    // As the single-node tests: 1000 weight, 100 orders / 10 s, 1000 / min; 10% margin → 900 usable; reserve 10% → 810 for orders.
    // The fake clock never moves on its own, so one Redis call slower than the gateway's 250 ms timeout on a loaded CI
    // machine would leave a replica on its local share for the rest of a test: the tests that do not stop Redis allow more.
    private (ExchangeBudgets Budgets, ClusterMembership Membership, SharedRedis Redis) Replica(BudgetOptions? options = null, int timeoutMilliseconds = 5_000, ExchangeClock? clock = null)
    {
        var cluster = Options.Create(new ClusterOptions { Redis = _redis.ConnectionString, TimeoutMilliseconds = timeoutMilliseconds });
        var redis = new SharedRedis(cluster, _time, NullLogger<SharedRedis>.Instance);
        Assert.True(SpinWait.SpinUntil(() => redis.Available, TimeSpan.FromSeconds(10)), "the replica connects to Redis");
        var metrics = new GatewayMetrics();
        _owned.Add(redis);
        _owned.Add(metrics);
        var membership = new ClusterMembership(redis, cluster, _time, metrics);
        var budgets = new ExchangeBudgets(Options.Create(options ?? new BudgetOptions { PerBotWeightPerMinute = 100_000, PerBotOrdersPer10Seconds = 100_000 }),
            clock ?? new ExchangeClock(_time), new RedisBudgetLedger(redis, membership));
        budgets.SetLimits(Live, new ExchangeLimits(1000, 100, 1000));
        return (budgets, membership, redis);
    }

    private static async Task<int> SpendAsync(ExchangeBudgets budgets, RequestPriority priority, int weight, string? bot = null, int orders = 0)
    {
        var spent = 0;
        while ((await budgets.TryChargeAsync(Live, bot, priority, weight, orders)).Allowed)
        {
            spent += weight;
        }

        return spent;
    }

    [Fact]
    public async Task TwoReplicas_SpendOneBudget_NotOneEach()
    {
        var (a, _, _) = Replica();
        var (b, _, _) = Replica();

        var spent = 0;
        for (var i = 0; i < 200; i++)
        {
            if ((await (i % 2 == 0 ? a : b).TryChargeAsync(Live, null, RequestPriority.NewOrder, 10, 0)).Allowed)
            {
                spent += 10;
            }
        }

        Assert.Equal(810, spent);
        Assert.Equal(810, b.Usage(Live).Weight);
    }

    [Fact]
    public async Task ABotsQuota_HoldsAcrossReplicas_AndOnlyForThatBot()
    {
        var options = new BudgetOptions { PerBotWeightPerMinute = 50, PerBotOrdersPer10Seconds = 5 };
        var (a, _, _) = Replica(options);
        var (b, _, _) = Replica(options);

        for (var i = 0; i < 6; i++)
        {
            Assert.True((await a.TryChargeAsync(Live, "greedy", RequestPriority.Account, 5, 0)).Allowed);
        }

        Assert.Equal(20, await SpendAsync(b, RequestPriority.Account, 5, "greedy")); // 30 spent through the other replica
        var refused = await a.TryChargeAsync(Live, "greedy", RequestPriority.Account, 5, 0);
        Assert.Contains("bot 'greedy' has used its request weight quota for this minute (50/50)", refused.Reason);
        Assert.True((await b.TryChargeAsync(Live, "other", RequestPriority.Account, 5, 0)).Allowed);
        Assert.True((await b.TryChargeAsync(Live, "greedy", RequestPriority.RiskReducing, 1, 0)).Allowed); // cancels are exempt
    }

    [Fact]
    public async Task CancelReserve_IsSharedFairlyAmongBotsOnAllReplicas()
    {
        var (a, _, _) = Replica();
        var (b, _, _) = Replica();
        Assert.True((await b.TryChargeAsync(Live, "beta", RequestPriority.Account, 0, 0)).Allowed); // beta trades through the other replica
        Assert.Equal(810, await SpendAsync(a, RequestPriority.NewOrder, 10, bot: "gamma"));

        // A third of the 90-weight reserve each, although alpha's flood and beta's cancels arrive at different replicas.
        Assert.Equal(30, await SpendAsync(a, RequestPriority.RiskReducing, 1, bot: "alpha"));
        Assert.Equal(30, await SpendAsync(b, RequestPriority.RiskReducing, 1, bot: "beta"));
        var refused = await b.TryChargeAsync(Live, "beta", RequestPriority.RiskReducing, 1, 0);
        Assert.Contains("bot 'beta' has used its share of the cancel reserve (30/30 weight", refused.Reason);
        Assert.True((await a.TryChargeAsync(Live, "gamma", RequestPriority.RiskReducing, 1, 0)).Allowed);
    }

    [Fact]
    public async Task TheExchangesCount_SeenByOneReplica_HoldsForAll()
    {
        var (a, _, _) = Replica();
        var (b, _, _) = Replica();
        Assert.True((await b.TryChargeAsync(Live, null, RequestPriority.MarketData, 10, 0)).Allowed);

        using var answer = ExchangeAnswers.WithHeaders(("X-MBX-USED-WEIGHT-1M", "700")); // above market data's ceiling (630)
        a.Observe(Live, answer.Headers);

        var refused = await b.TryChargeAsync(Live, null, RequestPriority.MarketData, 10, 0);
        for (var i = 0; i < 50 && refused.Allowed; i++)
        {
            await Task.Delay(20); // the correction is sent without waiting: it lands after the answer has gone
            refused = await b.TryChargeAsync(Live, null, RequestPriority.MarketData, 10, 0);
        }

        Assert.False(refused.Allowed);
        Assert.Contains("(700/1000)", refused.Reason);
    }

    [Fact]
    public async Task AnExchangeCount_RedisAlreadyHolds_IsNotSentAgain_AHigherOneIs()
    {
        var (a, _, redis) = Replica();
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.MarketData, 10, 0)).Allowed);
        var charged = await ScriptsAsync(admin);

        // The exchange counted what the replicas charged (the usual answer): nothing to raise.
        using (var same = ExchangeAnswers.WithHeaders(("X-MBX-USED-WEIGHT-1M", "10"), ("X-MBX-ORDER-COUNT-1M", "0")))
        {
            a.Observe(Live, same.Headers);
        }

        await redis.Database.PingAsync(); // answered after anything the replica sent before it, on the same connection
        Assert.Equal(charged, await ScriptsAsync(admin));

        // Another client on the IP: the exchange counted more, and that reaches Redis once.
        using (var higher = ExchangeAnswers.WithHeaders(("X-MBX-USED-WEIGHT-1M", "25")))
        {
            a.Observe(Live, higher.Headers);
            a.Observe(Live, higher.Headers);
        }

        await redis.Database.PingAsync();
        Assert.Equal(charged + 1, await ScriptsAsync(admin));
        var server = admin.GetServer(admin.GetEndPoints().Single());
        Assert.Equal(25, (int)await redis.Database.StringGetAsync(server.Keys(pattern: "tf:{live}:w:*").Single()));
    }

    [Fact]
    public async Task AChargeAnsweredForAMinuteThatHasRolledOver_LeavesTheNewMinutesCountsAlone()
    {
        var clock = new ExchangeClock(_time);
        var (a, _, _) = Replica(clock: clock);
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.MarketData, 300, 0)).Allowed);
        _time.Advance(TimeSpan.FromMilliseconds(50_600)); // 100 ms into the next minute, after the guard
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.MarketData, 100, 0)).Allowed);

        // A charge timed before the roll (here: clock sync moving the exchange's time back) is answered with the last
        // minute's count, which says nothing about this one.
        clock.SetOffset(Live, -200);
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.MarketData, 10, 0)).Allowed);
        clock.SetOffset(Live, 0);

        Assert.Equal(100, a.Usage(Live).Weight);
    }

    [Fact]
    public async Task ABotsReads_SpendALease_MostWithoutWaitingForRedis()
    {
        var (a, _, redis) = Replica();
        a.SetLimits(Live, new ExchangeLimits(100_000, 100, 1000)); // 90,000 usable: leases up to 1,800
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        var before = await ScriptsAsync(admin);

        var waited = 0;
        for (var i = 0; i < 300; i++)
        {
            var decision = a.TryChargeAsync(Live, "alpha", RequestPriority.Account, 1, 0);
            waited += decision.IsCompletedSuccessfully ? 0 : 1;
            Assert.True((await decision).Allowed);
        }

        // Leases of 1, 2, 4, … weight: one round trip each, the other reads decided here. A read that went to Redis may
        // still look decided here when Redis answered before the loop looked (a descheduled test thread on a loaded
        // machine), so a waited read is never more than a round trip, not always one.
        var scripts = await ScriptsAsync(admin) - before;
        Assert.InRange(scripts, 1, 10);
        Assert.InRange(waited, 0, scripts);

        // Redis holds what was spent and the lease's rest, charged to the window and to the bot.
        var server = admin.GetServer(admin.GetEndPoints().Single());
        var window = (int)await redis.Database.StringGetAsync(server.Keys(pattern: "tf:{live}:w:*").Single());
        Assert.InRange(window, 300, 300 + 256);
        Assert.Equal(window, (int)await redis.Database.StringGetAsync(server.Keys(pattern: "tf:{live}:bw:alpha:*").Single()));
        Assert.Equal(300, Assert.Single(a.BotUsage(Live)).Weight);
    }

    [Fact]
    public async Task Leases_OnTwoReplicas_NeverPassTheCeiling_AndLeaveNoneOfItUnspent()
    {
        var (a, _, _) = Replica();
        var (b, _, _) = Replica();

        // Account reads stop at 80 % of the 900 usable: 720, whichever replica and bot spend it.
        var spent = 0;
        var refused = new HashSet<(ExchangeBudgets, string)>();
        for (var i = 0; refused.Count < 4; i++)
        {
            var (replica, bot) = ((i & 1) == 0 ? a : b, (i & 2) == 0 ? "alpha" : "beta");
            if ((await replica.TryChargeAsync(Live, bot, RequestPriority.Account, 1, 0)).Allowed)
            {
                spent++;
            }
            else
            {
                refused.Add((replica, bot));
            }
        }

        Assert.Equal(720, spent);
        Assert.Equal(720, a.Usage(Live).Weight);
    }

    [Fact]
    public async Task Leases_OnTwoReplicas_HoldABotToItsQuota_Exactly()
    {
        var options = new BudgetOptions { PerBotWeightPerMinute = 100, PerBotOrdersPer10Seconds = 5 };
        var (a, _, _) = Replica(options);
        var (b, _, _) = Replica(options);

        var spentA = 0;
        var spentB = 0;
        bool allowedA = true, allowedB = true;
        while (allowedA || allowedB)
        {
            allowedA = (await a.TryChargeAsync(Live, "greedy", RequestPriority.MarketData, 1, 0)).Allowed;
            allowedB = (await b.TryChargeAsync(Live, "greedy", RequestPriority.MarketData, 1, 0)).Allowed;
            spentA += allowedA ? 1 : 0;
            spentB += allowedB ? 1 : 0;
        }

        Assert.Equal(100, spentA + spentB);
        var refused = await b.TryChargeAsync(Live, "greedy", RequestPriority.Account, 1, 0); // another priority's lease: none left either
        Assert.Contains("bot 'greedy' has used its request weight quota for this minute (100/100)", refused.Reason);
        Assert.True((await a.TryChargeAsync(Live, "other", RequestPriority.MarketData, 1, 0)).Allowed);
    }

    [Fact]
    public async Task ALeaseFromTheLastMinute_IsNotSpentInTheNext()
    {
        var (a, _, redis) = Replica();
        a.SetLimits(Live, new ExchangeLimits(100_000, 100, 1000));
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.Account, 1, 0)).Allowed); // leases of 1, 2, 4, 8, 16: some left
        }

        _time.Advance(TimeSpan.FromMilliseconds(50_600)); // 100 ms into the next minute, after the guard
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        var before = await ScriptsAsync(admin);
        Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.Account, 1, 0)).Allowed);

        Assert.Equal(before + 1, await ScriptsAsync(admin));
        var server = admin.GetServer(admin.GetEndPoints().Single());
        var minutes = server.Keys(pattern: "tf:{live}:w:*").Select(k => (string)k!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, minutes.Count);
        Assert.InRange((int)await redis.Database.StringGetAsync(minutes[1]), 1, 8); // the new minute's lease: half the last size at most
    }

    [Fact]
    public async Task ALeaseTakenBeforeRedisWentDown_IsNotSpentOnceItIsBack()
    {
        var (a, _, redis) = Replica(timeoutMilliseconds: 250);
        a.SetLimits(Live, new ExchangeLimits(100_000, 100, 1000));
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.Account, 1, 0)).Allowed); // some of the last lease left
        }

        await _redis.StopAsync();
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.Account, 1, 0)).Allowed); // on its share: Redis is seen down
        Assert.NotEqual(0, a.FallbackReplicas);
        await _redis.StartAgainAsync(); // empty: what was charged before is gone
        await Eventually.TrueAsync(() => { _time.Advance(TimeSpan.FromMilliseconds(100)); return redis.Available; }, "the replica reconnects");

        // Every read from now on is charged in the Redis that is there now, none from a lease it never saw.
        using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints().Single());
        for (var spent = 1; spent <= 60; spent++)
        {
            Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.Account, 1, 0)).Allowed);
            var charged = (int)await redis.Database.StringGetAsync(server.Keys(pattern: "tf:{live}:w:*").Single());
            Assert.True(charged >= spent, $"{spent} read(s) spent, {charged} charged in Redis");
        }
    }

    /// <summary>Scripts Redis has run (EVAL and EVALSHA), from its own command statistics.</summary>
    private static async Task<long> ScriptsAsync(ConnectionMultiplexer admin)
    {
        var stats = await admin.GetServer(admin.GetEndPoints().Single()).InfoAsync("commandstats");
        return stats.SelectMany(g => g).Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WithRedisDown_AReplicaSpendsOnlyItsShare_OfWhatIsLeft_AndRefusesOrdersThatAddRisk()
    {
        var (a, aMembers, _) = Replica(timeoutMilliseconds: 250);
        var (_, bMembers, _) = Replica(timeoutMilliseconds: 250);
        await aMembers.BeatAsync();
        await bMembers.BeatAsync();
        await aMembers.BeatAsync();
        Assert.Equal(2, aMembers.LiveReplicas);
        for (var i = 0; i < 40; i++)
        {
            Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.NewOrder, 10, 0)).Allowed);
        }

        await _redis.StopAsync();

        // Each of two replicas: half of every limit (405 for new requests), starting from half of the 400 already spent.
        Assert.Equal(200, await SpendAsync(a, RequestPriority.NewOrder, 10));
        Assert.Equal(2, a.FallbackReplicas);
        var order = await a.TryChargeAsync(Live, "alpha", RequestPriority.NewOrder, 1, 1);
        Assert.False(order.Allowed);
        Assert.True(order.SharedStoreDown);
        Assert.Contains("cannot be checked", order.Reason);
        Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.RiskReducing, 1, 1)).Allowed); // cancels and reduce-only pass
    }

    [Fact]
    public async Task WhenRedisIsBack_TheReplicaSharesTheBudgetAgain()
    {
        var (a, _, redis) = Replica(timeoutMilliseconds: 250);
        await _redis.StopAsync();
        Assert.True((await a.TryChargeAsync(Live, null, RequestPriority.Account, 1, 0)).Allowed);
        Assert.False((await a.TryChargeAsync(Live, "alpha", RequestPriority.NewOrder, 1, 1)).Allowed);

        await _redis.StartAgainAsync();
        await Eventually.TrueAsync(() => { _time.Advance(TimeSpan.FromMilliseconds(100)); return redis.Available; }, "the replica reconnects");

        Assert.True((await a.TryChargeAsync(Live, "alpha", RequestPriority.NewOrder, 1, 1)).Allowed);
        Assert.Equal(0, a.FallbackReplicas);
    }
}
