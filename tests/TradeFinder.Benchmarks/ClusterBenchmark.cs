using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// What sharing the budget costs: one budget decision (check and charge of the shared windows and the bot's quota) in
/// this process versus one atomic script in a real Redis on loopback, its latency alone and under concurrency, and the
/// decisions per second each of two replicas gets when both decide at once against the same Redis.
/// </summary>
public static class ClusterBenchmark
{
    private static readonly string[] Bots = [.. Enumerable.Range(0, 20).Select(i => "bot" + i)];

    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| decision | concurrency | decisions/s | p50 µs | p99 µs | refused |", "|---|---:|---:|---:|---:|---:|" };
        var local = Budgets(null);
        foreach (var concurrency in new[] { 1, 16 })
        {
            rows.Add(Row(await LoadRunner.RunAsync("in process (single node)", concurrency, duration, (w, n) => DecideAsync(local, w, n))));
        }

        await using var redis = await RedisServer.StartAsync();
        var disposables = new List<IDisposable>();
        try
        {
            var shared = Budgets(Replica(redis, disposables));
            foreach (var concurrency in new[] { 1, 16 })
            {
                rows.Add(Row(await LoadRunner.RunAsync("shared in Redis, one replica", concurrency, duration, (w, n) => DecideAsync(shared, w, n))));
            }

            // A bot's pace, not a flood: between decisions every thread involved has gone to sleep, as at 20 requests/s.
            rows.Add(Row(await PacedAsync("shared in Redis, one replica, 20 decisions/s", shared, 20, duration)));

            var first = Budgets(Replica(redis, disposables));
            var second = Budgets(Replica(redis, disposables));
            var both = await Task.WhenAll(
                LoadRunner.RunAsync("shared in Redis, replica 1 of 2 deciding at once", 16, duration, (w, n) => DecideAsync(first, w, n)),
                LoadRunner.RunAsync("shared in Redis, replica 2 of 2 deciding at once", 16, duration, (w, n) => DecideAsync(second, w, n)));
            rows.AddRange(both.Select(Row));
        }
        finally
        {
            disposables.ForEach(d => d.Dispose());
        }

        return rows;
    }

    /// <summary>One decision every 1/<paramref name="perSecond"/> s, each timed on its own (concurrency 1).</summary>
    private static async Task<LoadResult> PacedAsync(string name, ExchangeBudgets budgets, int perSecond, TimeSpan duration)
    {
        var times = new List<double>();
        var refused = 0L;
        var clock = Stopwatch.StartNew();
        for (var n = 0L; clock.Elapsed < duration; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var started = Stopwatch.GetTimestamp();
            refused += await DecideAsync(budgets, 0, n) ? 0 : 1;
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var sorted = times.Order().ToArray();
        return new LoadResult(name, 1, clock.Elapsed, sorted.Length - refused, refused, LoadRunner.Percentile(sorted, 0.50), LoadRunner.Percentile(sorted, 0.99));
    }

    private static string Row(LoadResult r) => $"| {r.Name} | {r.Concurrency} | {r.PerSecond:N0} | {r.P50Ms * 1000:N1} | {r.P99Ms * 1000:N1} | {r.Failed} |";

    private static async Task<bool> DecideAsync(ExchangeBudgets budgets, int worker, long n) =>
        (await budgets.TryChargeAsync(TradingMode.Live, Bots[(worker + n) % Bots.Length], RequestPriority.NewOrder, 1, 1).ConfigureAwait(false)).Allowed;

    // Limits no run can reach, so every decision does the full check and charge and none is refused.
    private static ExchangeBudgets Budgets(RedisBudgetLedger? ledger)
    {
        var budgets = new ExchangeBudgets(Options.Create(new BudgetOptions { PerBotWeightPerMinute = int.MaxValue / 2, PerBotOrdersPer10Seconds = int.MaxValue / 2 }),
            new ExchangeClock(TimeProvider.System), ledger);
        budgets.SetLimits(TradingMode.Live, new ExchangeLimits(int.MaxValue / 2, int.MaxValue / 2, int.MaxValue / 2));
        return budgets;
    }

    private static RedisBudgetLedger Replica(RedisServer redis, List<IDisposable> disposables)
    {
        var options = Options.Create(new ClusterOptions { Redis = redis.ConnectionString });
        var shared = new SharedRedis(options, TimeProvider.System, NullLogger<SharedRedis>.Instance);
        var metrics = new GatewayMetrics();
        disposables.Add(shared);
        disposables.Add(metrics);
        return new RedisBudgetLedger(shared, new ClusterMembership(shared, options, TimeProvider.System, metrics));
    }
}
