using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// An order's records as the writer stores them: its sent record flushed, its outcome queued behind it, every record in
/// one chain in the order it was handed over; only the writer copies SQLite's log. The real SQLite store.
/// </summary>
public sealed class AuditWriterOrderRecordsTests : IAsyncLifetime
{
    // One page of the log as SQLite writes it: the page and its frame header.
    private const long Frame = 4096 + 24;

    private readonly AuditWriterHarness _h = new("tf-audit-order");

    public Task InitializeAsync() => _h.StartAsync();

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private AuditRecord Record(string outcome, TimeProvider? time = null) => _h.Record(outcome, "POST /fapi/v1/order", time);

    /// <summary>The first record is the writer's: a checkpoint is due at start, and a due checkpoint's batch is flushed by it.</summary>
    private async Task FirstRecordAsync()
    {
        await _h.Trail.WriteAsync(Record("first"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 1);
    }

    [Fact]
    public async Task CommitsNeverCopyTheLog_TheWriterDoes_AndTheLogStartsOverAfterIt()
    {
        // SQLite's automatic checkpoint would copy the log inside the commit that takes it past 1,000 pages, with the
        // writer's lock held: every flushed order record behind it would wait for the copy.
        await FirstRecordAsync();
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies == 1)); // the writer's, after its first commit
        await SentAsync("sent", 800);
        var grown = LogLength();
        Assert.True(grown > 1_100 * Frame, $"log {grown / Frame} frames: copied inside a commit");
        Assert.Equal(1, _h.Store.LogCopies);

        // The next record wakes the writer, which copies the log; the commits after it reuse the log from its start.
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Trail.WriteAsync(Record("read"));
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies >= 2));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 802);
        await AssertTheLogStartsOverAsync(grown, "sent again", 800);
        Assert.Equal(1602, await _h.StoredAsync());
    }

    [Fact]
    public async Task CommitsDuringACopy_AreCopiedByTheWriter_AndTheLogStartsOver()
    {
        // Under a steady flood a commit lands during every copy, past the point SQLite copies up to, and SQLite starts the
        // log over only at a commit that finds all of it copied: without the writer's finishing copy the log would grow
        // for as long as the flood lasts. A held copy is such a copy, every time.
        await FirstRecordAsync();
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies == 1));
        await SentAsync("sent", 400);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await HeldCopyAsync(hold, Record("read"));
            await SentAsync("sent during the copy", 20);
            _h.Store.HoldLogCopies = null;
        }
        finally
        {
            hold.TrySetResult();
        }

        await AssertTheWritersCopyStartsTheLogOverAsync(rowsBefore: 422);
    }

    [Fact]
    public async Task ACopyAReaderKeptFromFinishing_IsFinishedByTheWriter_AndTheLogStartsOver()
    {
        // A reader's snapshot keeps SQLite from copying the log past it; the reader is gone before the writer finishes.
        await FirstRecordAsync();
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies == 1));
        await using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_h.DatabaseFile}");
        await reader.OpenAsync();
        await using var snapshot = reader.BeginTransaction(deferred: true);
        await using (var count = reader.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM audit_events";
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        await SentAsync("sent", 400);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // No record this time: no commit lands during the copy, which the reader alone keeps from finishing.
            await HeldCopyAsync(hold, record: null);
            Assert.False(_h.Store.LogCopyResults[1], "the copy finished with a reader's snapshot in the way");
            await snapshot.RollbackAsync();
            _h.Store.HoldLogCopies = null;
        }
        finally
        {
            hold.TrySetResult();
        }

        await AssertTheWritersCopyStartsTheLogOverAsync(rowsBefore: 401);
    }

    /// <summary>
    /// The second's log copy, with a record to wake the writer or none (its quiet timer does), held once SQLite is done
    /// with it until <paramref name="hold"/> is released (by the caller, also when it fails).
    /// </summary>
    private async Task HeldCopyAsync(TaskCompletionSource hold, AuditRecord? record)
    {
        var copies = _h.Store.LogCopyResults.Count;
        _h.Store.HoldLogCopies = hold.Task;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        if (record is not null)
        {
            await _h.Trail.WriteAsync(record);
        }

        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopyResults.Count == copies + 1));
    }

    private async Task SentAsync(string outcome, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _h.Trail.WriteDurableAsync(Record($"{outcome} {i}")).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The writer's own copy follows the held one, copies the whole log, and the commits after it reuse the log.</summary>
    private async Task AssertTheWritersCopyStartsTheLogOverAsync(long rowsBefore)
    {
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopyResults.Count == 3));
        Assert.True(_h.Store.LogCopyResults[2], "the writer's copy left part of the log");
        await AssertTheLogStartsOverAsync(LogLength(), "sent after the copy", 400);
        Assert.Equal(rowsBefore + 400, await _h.StoredAsync());
    }

    private long LogLength() => new FileInfo(_h.DatabaseFile + "-wal").Length;

    /// <summary>The commits of <paramref name="count"/> more records reuse the log from its start: it hardly grows past <paramref name="grown"/>.</summary>
    private async Task AssertTheLogStartsOverAsync(long grown, string outcome, int count)
    {
        await SentAsync(outcome, count);
        var after = LogLength();
        Assert.True(after < grown * 6 / 5, $"log grew from {grown / Frame} to {after / Frame} frames: not started over");
    }

    [Fact]
    public async Task ALogCopyUnderWay_HoldsUpNoRecord_AndStopWaitsForIt()
    {
        // A copy syncs the database file; a flushed order record waiting behind it would wait for that disk, too.
        await FirstRecordAsync();
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies == 1));
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await HeldCopyAsync(hold, Record("read"));
            await SentAsync("sent", 20);

            Assert.Equal(22, await _h.StoredAsync());
            var stop = _h.Writer.StopAsync(CancellationToken.None);
            await Task.Delay(200);
            Assert.False(stop.IsCompleted, "stopped (and the store could be disposed) while a log copy held a connection");
            hold.SetResult();
            await stop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            // A failure above must not leave the writer waiting for the copy forever, nor the test with it.
            hold.TrySetResult();
        }

        Assert.True(_h.Store.LogCopies >= 2, "stopped before the held copy ended");
    }

    [Fact]
    public async Task ManyRequestsAtOnce_EveryRecordIsStoredOnce_InOneChain_EachOutcomeAfterItsSentRecord()
    {
        // Real time here: the writer's timers (quiet second, checkpoints, log copies) run while requests commit.
        await _h.StopAsync();
        await _h.StartAsync(TimeProvider.System);
        const int Workers = 4, Orders = 150;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Orders; i++)
            {
                // As an order goes: its sent record queued for disk while the exchange works, the outcome queued
                // behind it, a read from another bot now and then.
                var sent = _h.Trail.WriteDurableAsync(Record($"sent {w}/{i}", TimeProvider.System));
                if (i % 3 == 0)
                {
                    await _h.Trail.WriteAsync(Record($"read {w}/{i}", TimeProvider.System));
                }

                await Task.Yield();
                await _h.Trail.WriteAsync(Record($"outcome {w}/{i}", TimeProvider.System));
                await sent;
            }
        })));

        await _h.Writer.StopAsync(CancellationToken.None);
        var rows = new List<AuditEvent>();
        await foreach (var row in _h.Store.ReadAllAsync(CancellationToken.None))
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

        var verification = await AuditChain.VerifyAsync(_h.Store, _h.Key, _h.Checkpoints, CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }
}
