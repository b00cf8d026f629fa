using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// An order's outcome is committed by its own request when the writer is idle (no hand-off to the writer's thread and
/// back), and queued behind the writer otherwise; either way the chain stays one sequence in the order records were
/// handed over. The real SQLite store.
/// </summary>
public sealed class AuditWriterCommitNowTests : IAsyncLifetime
{
    private readonly AuditWriterHarness _h = new("tf-audit-now");

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
    public async Task AnOutcome_IsCommittedOnTheCallersThread_WhenTheWriterIsIdle_AndFlushedByTheWriterAfterAQuietSecond()
    {
        await FirstRecordAsync();

        var outcome = _h.Trail.WriteCommittedAsync(Record("outcome"));

        Assert.True(outcome.IsCompletedSuccessfully); // returned committed: nothing was handed to the writer
        Assert.Equal(2, await _h.StoredAsync());
        Assert.Equal(1, _h.Store.CommitsNow);
        Assert.Equal([true, false], _h.Store.Flushes);

        // The writer was waiting when the row was committed; it still puts it on disk and names it after a quiet second.
        await AuditWriterHarness.WaitForAsync(() =>
        {
            _h.Time.Advance(TimeSpan.FromMilliseconds(200));
            return Task.FromResult(_h.Store.ExplicitFlushes > 0 && _h.LastCheckpoint() == 2);
        });
    }

    [Fact]
    public async Task AnOutcome_WaitsBehindTheWriter_WhileItWrites_AndKeepsItsPlaceInTheChain()
    {
        await FirstRecordAsync();
        var release = _h.Store.HoldAppends();
        await _h.Trail.WriteAsync(Record("read being written"));
        await _h.Store.Holding.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the writer is inside its batch
        await _h.Trail.WriteAsync(Record("read queued"));

        var outcome = _h.Trail.WriteCommittedAsync(Record("outcome"));
        await Task.Delay(50);
        Assert.False(outcome.IsCompleted);

        release.SetResult();
        await outcome.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _h.Store.CommitsNow);
        var rows = await _h.Store.QueryAsync(new AuditQuery(Limit: 10), CancellationToken.None);
        Assert.Equal(["outcome", "read queued", "read being written", "first"], rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task AnOutcome_IsQueuedBehindARecordTheIdleWriterHasNotTakenYet()
    {
        // The writer between batches (copying the log, outside its lock) with a record waiting: committing the outcome
        // now would put it ahead of a record handed over before it (an order's own sent record, say).
        var release = _h.Store.HoldLogCopies();
        await FirstRecordAsync();
        await _h.Store.CopyHolding.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _h.Trail.WriteAsync(Record("read queued"));

        var outcome = _h.Trail.WriteCommittedAsync(Record("outcome"));
        Assert.False(outcome.IsCompleted);

        release.SetResult();
        await outcome.WaitAsync(TimeSpan.FromSeconds(10));
        var rows = await _h.Store.QueryAsync(new AuditQuery(Limit: 10), CancellationToken.None);
        Assert.Equal(["outcome", "read queued", "first"], rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task ACommitOnTheCallersThreadThatFails_IsLeftToTheWriter_WhichStoresTheRecord()
    {
        await FirstRecordAsync();
        _h.Store.FailNextNow = true;

        await _h.Trail.WriteCommittedAsync(Record("outcome")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(_h.Store.FailNextNow); // it was tried on the caller's thread first
        Assert.Equal(0, _h.Store.CommitsNow);
        Assert.Equal(2, await _h.StoredAsync());
        Assert.True(_h.Writer.DatabaseAvailable);
        Assert.Equal("outcome", (await _h.Store.QueryAsync(new AuditQuery(Limit: 1), CancellationToken.None))[0].Outcome);
    }

    [Fact]
    public async Task CommitsNeverCopyTheLog_TheWriterDoes_AndTheLogStartsOverAfterIt()
    {
        // SQLite's automatic checkpoint would copy the log inside the commit that takes it past 1,000 pages; on a
        // request's thread that would be a stall for every connection the thread serves.
        const long Frame = 4096 + 24;
        await FirstRecordAsync();
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies == 1)); // the writer's, after its first commit
        for (var i = 0; i < 800; i++)
        {
            Assert.True(_h.Trail.WriteCommittedAsync(Record("outcome " + i)).IsCompletedSuccessfully);
        }

        var grown = new FileInfo(_h.DatabaseFile + "-wal").Length;
        Assert.True(grown > 1_100 * Frame, $"log {grown / Frame} frames: copied inside a commit");
        Assert.Equal(1, _h.Store.LogCopies);

        // The next record wakes the writer, which copies the log; the commits after it reuse the log from its start.
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Trail.WriteAsync(Record("read"));
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.Store.LogCopies >= 2));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 802);
        for (var i = 0; i < 800; i++)
        {
            Assert.True(_h.Trail.WriteCommittedAsync(Record("outcome again " + i)).IsCompletedSuccessfully);
        }

        var after = new FileInfo(_h.DatabaseFile + "-wal").Length;
        Assert.True(after < grown * 6 / 5, $"log grew from {grown / Frame} to {after / Frame} frames: not started over");
        Assert.Equal(1602, await _h.StoredAsync());
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
                // As an order goes: its sent record queued for disk while the exchange works, the outcome committed
                // behind it, a read from another bot now and then.
                var sent = _h.Trail.WriteDurableAsync(Record($"sent {w}/{i}", TimeProvider.System));
                if (i % 3 == 0)
                {
                    await _h.Trail.WriteAsync(Record($"read {w}/{i}", TimeProvider.System));
                }

                await Task.Yield();
                await _h.Trail.WriteCommittedAsync(Record($"outcome {w}/{i}", TimeProvider.System));
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

        Assert.True(_h.Store.CommitsNow > 0, "no outcome was committed on its request's thread");
        var verification = await AuditChain.VerifyAsync(_h.Store, _h.Key, _h.Checkpoints, CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }
}
