using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// An order's outcome is committed by its own request when the writer is idle (no hand-off to the writer's thread and
/// back), and queued behind the writer otherwise; either way the chain stays one sequence in the order records were
/// handed over. The real SQLite store.
/// </summary>
public sealed class AuditWriterCommitNowTests : IAsyncLifetime
{
    private readonly string _dir = TempDirectory.Create("tf-audit-now");
    private readonly AuditChainKey _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RecordingAuditStore _store = null!;
    private AuditTrail _trail = null!;
    private AuditCheckpoints _checkpoints = null!;
    private AuditWriter _writer = null!;

    private string DatabaseFile => Path.Combine(_dir, "audit.db");

    public Task InitializeAsync() => StartAsync(_time);

    private async Task StartAsync(TimeProvider time)
    {
        _store = new RecordingAuditStore(new SqliteAuditStore(DatabaseFile));
        var spool = new AuditSpool(Path.Combine(_dir, "spool.jsonl"), _key);
        _trail = new AuditTrail(1000, spool);
        _checkpoints = new AuditCheckpoints(Path.Combine(_dir, "checkpoints.jsonl"), _key);
        _writer = new AuditWriter(_trail, _store, spool, _key, _checkpoints, time, Options.Create(new AuditOptions()), NullLogger<AuditWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _store.ReleaseHolds();
        await _writer.StopAsync(CancellationToken.None);
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }

    private AuditRecord Record(string outcome, TimeProvider? time = null) => new()
    {
        OccurredAtMs = (time ?? _time).GetUtcNow().ToUnixTimeMilliseconds(),
        Type = AuditEventTypes.Traffic,
        Bot = "alpha",
        Endpoint = "POST /fapi/v1/order",
        Outcome = outcome,
    };

    private async Task<long> StoredAsync() => (await _store.TailAsync(CancellationToken.None)).Sequence;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 400 && !await condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(await condition());
    }

    /// <summary>The first record is the writer's: a checkpoint is due at start, and a due checkpoint's batch is flushed by it.</summary>
    private async Task FirstRecordAsync()
    {
        await _trail.WriteAsync(Record("first"));
        await WaitForAsync(async () => await StoredAsync() == 1);
    }

    private long LastCheckpoint() => _checkpoints.ReadAll() is { Count: > 0 } all ? all[^1].Checkpoint?.Sequence ?? 0 : 0;

    [Fact]
    public async Task AnOutcome_IsCommittedOnTheCallersThread_WhenTheWriterIsIdle_AndFlushedByTheWriterAfterAQuietSecond()
    {
        await FirstRecordAsync();

        var outcome = _trail.WriteCommittedAsync(Record("outcome"));

        Assert.True(outcome.IsCompletedSuccessfully); // returned committed: nothing was handed to the writer
        Assert.Equal(2, await StoredAsync());
        Assert.Equal(1, _store.CommitsNow);
        Assert.Equal([true, false], _store.Flushes);

        // The writer was waiting when the row was committed; it still puts it on disk and names it after a quiet second.
        await WaitForAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            return Task.FromResult(_store.ExplicitFlushes > 0 && LastCheckpoint() == 2);
        });
    }

    [Fact]
    public async Task AnOutcome_WaitsBehindTheWriter_WhileItWrites_AndKeepsItsPlaceInTheChain()
    {
        await FirstRecordAsync();
        var release = _store.HoldAppends();
        await _trail.WriteAsync(Record("read being written"));
        await _store.Holding.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the writer is inside its batch
        await _trail.WriteAsync(Record("read queued"));

        var outcome = _trail.WriteCommittedAsync(Record("outcome"));
        await Task.Delay(50);
        Assert.False(outcome.IsCompleted);

        release.SetResult();
        await outcome.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _store.CommitsNow);
        var rows = await _store.QueryAsync(new AuditQuery(Limit: 10), CancellationToken.None);
        Assert.Equal(["outcome", "read queued", "read being written", "first"], rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task AnOutcome_IsQueuedBehindARecordTheIdleWriterHasNotTakenYet()
    {
        // The writer between batches (copying the log, outside its lock) with a record waiting: committing the outcome
        // now would put it ahead of a record handed over before it (an order's own sent record, say).
        var release = _store.HoldLogCopies();
        await FirstRecordAsync();
        await _store.CopyHolding.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _trail.WriteAsync(Record("read queued"));

        var outcome = _trail.WriteCommittedAsync(Record("outcome"));
        Assert.False(outcome.IsCompleted);

        release.SetResult();
        await outcome.WaitAsync(TimeSpan.FromSeconds(10));
        var rows = await _store.QueryAsync(new AuditQuery(Limit: 10), CancellationToken.None);
        Assert.Equal(["outcome", "read queued", "first"], rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task ACommitOnTheCallersThreadThatFails_IsLeftToTheWriter_WhichStoresTheRecord()
    {
        await FirstRecordAsync();
        _store.FailNextNow = true;

        await _trail.WriteCommittedAsync(Record("outcome")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(_store.FailNextNow); // it was tried on the caller's thread first
        Assert.Equal(0, _store.CommitsNow);
        Assert.Equal(2, await StoredAsync());
        Assert.True(_writer.DatabaseAvailable);
        Assert.Equal("outcome", (await _store.QueryAsync(new AuditQuery(Limit: 1), CancellationToken.None))[0].Outcome);
    }

    [Fact]
    public async Task CommitsNeverCopyTheLog_TheWriterDoes_AndTheLogStartsOverAfterIt()
    {
        // SQLite's automatic checkpoint would copy the log inside the commit that takes it past 1,000 pages; on a
        // request's thread that would be a stall for every connection the thread serves.
        const long Frame = 4096 + 24;
        await FirstRecordAsync();
        await WaitForAsync(() => Task.FromResult(_store.LogCopies == 1)); // the writer's, after its first commit
        for (var i = 0; i < 800; i++)
        {
            Assert.True(_trail.WriteCommittedAsync(Record("outcome " + i)).IsCompletedSuccessfully);
        }

        var grown = new FileInfo(DatabaseFile + "-wal").Length;
        Assert.True(grown > 1_100 * Frame, $"log {grown / Frame} frames: copied inside a commit");
        Assert.Equal(1, _store.LogCopies);

        // The next record wakes the writer, which copies the log; the commits after it reuse the log from its start.
        _time.Advance(TimeSpan.FromSeconds(1));
        await _trail.WriteAsync(Record("read"));
        await WaitForAsync(() => Task.FromResult(_store.LogCopies >= 2));
        await WaitForAsync(async () => await StoredAsync() == 802);
        for (var i = 0; i < 800; i++)
        {
            Assert.True(_trail.WriteCommittedAsync(Record("outcome again " + i)).IsCompletedSuccessfully);
        }

        var after = new FileInfo(DatabaseFile + "-wal").Length;
        Assert.True(after < grown * 6 / 5, $"log grew from {grown / Frame} to {after / Frame} frames: not started over");
        Assert.Equal(1602, await StoredAsync());
    }

    [Fact]
    public async Task ManyRequestsAtOnce_EveryRecordIsStoredOnce_InOneChain_EachOutcomeAfterItsSentRecord()
    {
        // Real time here: the writer's timers (quiet second, checkpoints, log copies) run while requests commit.
        await _writer.StopAsync(CancellationToken.None);
        await _store.DisposeAsync();
        await StartAsync(TimeProvider.System);
        const int Workers = 4, Orders = 150;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Orders; i++)
            {
                // As an order goes: its sent record queued for disk while the exchange works, the outcome committed
                // behind it, a read from another bot now and then.
                var sent = _trail.WriteDurableAsync(Record($"sent {w}/{i}", TimeProvider.System));
                if (i % 3 == 0)
                {
                    await _trail.WriteAsync(Record($"read {w}/{i}", TimeProvider.System));
                }

                await Task.Yield();
                await _trail.WriteCommittedAsync(Record($"outcome {w}/{i}", TimeProvider.System));
                await sent;
            }
        })));

        await _writer.StopAsync(CancellationToken.None);
        var rows = new List<AuditEvent>();
        await foreach (var row in _store.ReadAllAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        var reads = Enumerable.Range(0, Orders).Count(i => i % 3 == 0) * Workers;
        Assert.Equal(2 * Workers * Orders + reads, rows.Count);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.Equal(rows.Count, rows.Select(r => r.EventId).Distinct().Count());
        var at = rows.ToDictionary(r => r.Outcome, r => r.Sequence);
        for (var w = 0; w < Workers; w++)
        {
            for (var i = 0; i < Orders; i++)
            {
                Assert.True(at[$"outcome {w}/{i}"] > at[$"sent {w}/{i}"], $"order {w}/{i}: outcome before its sent record");
            }
        }

        Assert.True(_store.CommitsNow > 0, "no outcome was committed on its request's thread");
        var verification = await AuditChain.VerifyAsync(_store, _key, _checkpoints, CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }
}
