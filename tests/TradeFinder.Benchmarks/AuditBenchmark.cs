using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// Sustained audit events/s through the real writer (batching, chaining, commit) into SQLite and
/// PostgreSQL, and the latency a durable write adds to an order (what the bot waits for).
/// </summary>
public static class AuditBenchmark
{
    public static async Task<IReadOnlyList<string>> RunAsync(int events)
    {
        var rows = new List<string>
        {
            "| store | events | sustained events/s | durable write p50 ms | durable write p99 ms | one-row batch, not flushed, µs; CPU µs | an order's two one-row batches (flushed, then not), µs; CPU µs |",
            "|---|---:|---:|---:|---:|---:|---:|",
        };
        var dir = TempDirectory.Create("tf-audit-bench");
        try
        {
            rows.Add(await MeasureAsync("SQLite (WAL, synchronous=FULL)", new SqliteAuditStore(Path.Combine(dir, "audit.db")), dir, events));
            await using var postgres = await PostgresServer.ForTestsAsync();
            rows.Add(await MeasureAsync("PostgreSQL 15 (loopback)", new PostgresAuditStore(await postgres.CreateDatabaseAsync()), dir, events));
        }
        finally
        {
            TempDirectory.Delete(dir);
        }

        return rows;
    }

    private static async Task<string> MeasureAsync(string name, IAuditStore store, string dir, int events)
    {
        await using (store)
        {
            var key = new AuditChainKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var spool = new AuditSpool(Path.Combine(dir, Guid.NewGuid().ToString("N") + ".jsonl"), key);
            var trail = new AuditTrail(20_000, spool);
            var writer = new AuditWriter(trail, store, spool, key, new AuditCheckpoints(Path.Combine(dir, "checkpoints.jsonl"), key), TimeProvider.System, Options.Create(new AuditOptions()), NullLogger<AuditWriter>.Instance);
            await writer.StartAsync(CancellationToken.None);

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < events; i++)
            {
                await trail.WriteAsync(Record(i));
            }

            while ((await store.TailAsync(CancellationToken.None)).Sequence < events)
            {
                await Task.Delay(5);
            }

            var perSecond = events / clock.Elapsed.TotalSeconds;

            var latencies = new double[1000];
            for (var i = 0; i < latencies.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await trail.WriteDurableAsync(Record(events + i));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            await writer.StopAsync(CancellationToken.None);
            Array.Sort(latencies);

            // At low rates every batch is one row: what the store spends on a batch beyond its rows (connection,
            // statement, commit), measured on the store alone once the writer has stopped.
            var (sequence, hash) = await store.TailAsync(CancellationToken.None);
            const int Batches = 10_000;
            var batchCpuBefore = Environment.CpuUsage.TotalTime;
            var batchClock = Stopwatch.StartNew();
            for (var i = 0; i < Batches; i++)
            {
                var e = AuditChain.Link(Record(i), ++sequence, hash, key);
                hash = e.Hash;
                await store.AppendUnflushedAsync([e], CancellationToken.None);
            }

            var perBatch = batchClock.Elapsed.TotalMicroseconds / Batches;
            var cpuPerBatch = (Environment.CpuUsage.TotalTime - batchCpuBefore).TotalMicroseconds / Batches;

            // An order's two records as the writer commits them at a low rate: its sent record flushed (the answer waits
            // for it), then its outcome not. The CPU is the process's, the sync's system time included.
            const int Orders = 2_000;
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var orderClock = Stopwatch.StartNew();
            for (var i = 0; i < Orders * 2; i++)
            {
                var e = AuditChain.Link(Record(i), ++sequence, hash, key);
                hash = e.Hash;
                await (i % 2 == 0 ? store.AppendAsync([e], CancellationToken.None) : store.AppendUnflushedAsync([e], CancellationToken.None));
            }

            var perOrder = orderClock.Elapsed.TotalMicroseconds / Orders;
            var cpuPerOrder = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / Orders;
            return $"| {name} | {events:N0} | {perSecond:N0} | {latencies[500]:N2} | {latencies[990]:N2} | {perBatch:N0}; {cpuPerBatch:N0} | {perOrder:N0}; {cpuPerOrder:N0} |";
        }
    }

    private static AuditRecord Record(int i) => new()
    {
        OccurredAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Type = AuditEventTypes.Traffic,
        Bot = "bench",
        Endpoint = "POST /fapi/v1/order",
        Outcome = "forwarded 200",
        Details = $$"""{"method":"POST","query":"symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01","status":200,"weight":0,"latencyMs":1.2,"n":{{i}}}""",
    };
}
