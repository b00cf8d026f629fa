using System.Diagnostics;

namespace TradeFinder.Benchmarks;

/// <summary>Result of one load run: throughput and latency percentiles of successful requests.</summary>
public sealed record LoadResult(string Name, int Concurrency, TimeSpan Duration, long Ok, long Failed, double P50Ms, double P99Ms)
{
    public double PerSecond => Ok / Duration.TotalSeconds;

    public string ToRow() => $"| {Name} | {Concurrency} | {PerSecond:N0} | {P50Ms:N2} | {P99Ms:N2} | {Failed} |";

    public string Summary => $"{PerSecond:N0} req/s (p50 {P50Ms:N2} ms, p99 {P99Ms:N2} ms, {Failed} failed)";
}

/// <summary>A closed-loop load generator: N workers each send the next request as soon as the last answered.</summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan duration, Func<int, long, Task<bool>> request)
    {
        var failed = 0L;

        // Warm up JIT, connections and caches before measuring.
        using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Loop(w, warm.Token, null)));
        }

        var latencies = new List<double>[concurrency];
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w =>
        {
            latencies[w] = new List<double>(100_000);
            return Loop(w, stop.Token, latencies[w]);
        }));
        clock.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, concurrency, clock.Elapsed, all.Length, failed, Percentile(all, 0.50), Percentile(all, 0.99));

        async Task Loop(int worker, CancellationToken token, List<double>? record)
        {
            var n = 0L;
            while (!token.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(worker, n++).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    if (record is not null && Interlocked.Read(ref failed) == 0)
                    {
                        Console.Error.WriteLine($"{name}: first failure: {ex.GetType().Name}: {ex.Message}");
                    }

                    ok = false;
                }

                if (record is null)
                {
                    continue;
                }

                if (ok)
                {
                    record.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
    }

    internal static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
