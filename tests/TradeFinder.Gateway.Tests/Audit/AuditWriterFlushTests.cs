using System.Diagnostics.Metrics;
using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// The writer waits for the disk only where it must: an order's or cancel's record, and the rows a checkpoint names
/// (a checkpoint outside the database must never name a row a power cut could take back). The real SQLite store,
/// seen through a recorder of which commits were flushed.
/// </summary>
public sealed class AuditWriterFlushTests : IAsyncLifetime
{
    private readonly AuditWriterHarness _h = new("tf-audit-flush");

    public Task InitializeAsync() => _h.StartAsync();

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private AuditRecord Record(string outcome, TimeProvider? time = null) => _h.Record(outcome, "GET /fapi/v1/time", time);

    [Fact]
    public async Task Reads_AreCommittedWithoutWaitingForTheDisk_OrdersAreFlushed_AndCheckpointsNameOnlyFlushedRows()
    {
        // The first batch is flushed and checkpointed (a checkpoint is due at start); within the second, reads are not.
        await _h.Trail.WriteAsync(Record("first"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 1);
        await _h.Trail.WriteAsync(Record("read"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 2);
        Assert.Equal([true, false], _h.Store.Flushes);

        // An order's record: flushed before the bot may be answered.
        await _h.Trail.WriteDurableAsync(Record("order")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_h.Store.Flushes[^1]);
        Assert.Equal(1, _h.LastCheckpoint()); // not due yet

        // A read once a checkpoint is due: flushed, so the checkpoint may name it.
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.Trail.WriteAsync(Record("read, checkpoint due"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 4);
        Assert.True(_h.Store.Flushes[^1]);
        await AuditWriterHarness.WaitForAsync(() => Task.FromResult(_h.LastCheckpoint() == 4)); // written just after the commit the poll saw

        // Idle after an unflushed read: flushed by the writer after a second of quiet, then checkpointed.
        await _h.Trail.WriteAsync(Record("last read"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 5);
        Assert.False(_h.Store.Flushes[^1]);
        Assert.Equal(4, _h.LastCheckpoint());
        var explicitFlushes = _h.Store.ExplicitFlushes;
        await AuditWriterHarness.WaitForAsync(() =>
        {
            _h.Time.Advance(TimeSpan.FromMilliseconds(200)); // the writer's quiet second passes
            return Task.FromResult(_h.Store.ExplicitFlushes > explicitFlushes && _h.LastCheckpoint() == 5);
        });

        await _h.Writer.StopAsync(CancellationToken.None);
        var verification = await AuditChain.VerifyAsync(_h.Store, _h.Key, _h.Checkpoints, CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task AnOrdersRecord_IsReleasedOnceOnDisk_WithoutWaitingForTheCheckpointItsCommitMakes()
    {
        await _h.Trail.WriteAsync(Record("first"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 1 && _h.LastCheckpoint() == 1);

        // The checkpoint file becomes a pipe nobody reads yet: the next checkpoint's write waits until someone does,
        // as a slow disk's sync of it would.
        File.Delete(_h.CheckpointFile);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [_h.CheckpointFile]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        _h.Time.Advance(TimeSpan.FromSeconds(1)); // a checkpoint is due with the next commit
        string line;
        try
        {
            await _h.Trail.WriteDurableAsync(_h.Record("order", "POST /fapi/v1/order")).WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            // Opens the pipe: the writer's checkpoint goes on (whether or not the order was released first).
            line = await Task.Run(() => File.ReadAllText(_h.CheckpointFile)).WaitAsync(TimeSpan.FromSeconds(10));
            File.Delete(_h.CheckpointFile); // later checkpoints go to a plain file again
        }

        Assert.Contains("\"Sequence\":2,", line, StringComparison.Ordinal); // the checkpoint names the order's row, on disk
        Assert.True(_h.Store.Flushes[^1]);
    }

    [Fact]
    public async Task AnAwaitedRecordsRequest_GoesOnOnTheWritersThread_AndOfSeveralInABatch_TheOthersOnThePool()
    {
        await _h.Trail.WriteAsync(Record("first"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 1);

        // Where the awaiting request goes on: on an idle machine a hand-off to a woken pool worker can cost the answer more
        // than its write to the bot (docs/PERFORMANCE.md).
        static Task<(string? Name, bool Pool)> Resumed(Task written) =>
            written.ContinueWith(_ => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // The first order's commit is held on the disk while two more are queued: they are the next batch.
        using var disk = new ManualResetEventSlim();
        using var inDisk = new ManualResetEventSlim();
        _h.Store.DuringFlushedAppend = () =>
        {
            inDisk.Set();
            disk.Wait(TimeSpan.FromSeconds(10));
        };
        var first = Resumed(_h.Trail.WriteDurableAsync(_h.Record("order 1", "POST /fapi/v1/order")));
        Assert.True(inDisk.Wait(TimeSpan.FromSeconds(10)));
        _h.Store.DuringFlushedAppend = null;
        var second = Resumed(_h.Trail.WriteDurableAsync(_h.Record("order 2", "POST /fapi/v1/order")));
        var third = Resumed(_h.Trail.WriteDurableAsync(_h.Record("order 3", "POST /fapi/v1/order")));
        disk.Set();

        var resumed = await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2], _h.Store.Sizes[^2..]);
        Assert.Equal([("Audit writer", false), (null, true), ("Audit writer", false)], resumed.Select(r => (r.Pool ? null : r.Name, r.Pool)));
    }

    [Fact]
    public async Task ACommitThatWaitsForTheDisk_IsTimedForOperators_AndOneThatDoesNotWait_IsNot()
    {
        // An order's answer waits for its record's synced commit: a slow disk must show in the metrics, not only in bots' latency.
        var synced = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // This writer's own meter: other tests' writers, running meanwhile, record on instruments of the same name.
                if (instrument.Meter == _h.Metrics.Meter && instrument.Name == "tradefinder.gateway.audit.sync_duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (synced)
            {
                synced.Add(value);
            }
        });
        listener.Start();
        _h.Store.DuringFlushedAppend = () => _h.Time.Advance(TimeSpan.FromMilliseconds(80)); // a disk that takes 80 ms to sync

        await _h.Trail.WriteDurableAsync(Record("order")).WaitAsync(TimeSpan.FromSeconds(10));
        await _h.Trail.WriteAsync(Record("read"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 2);

        Assert.Equal([true, false], _h.Store.Flushes);
        lock (synced)
        {
            Assert.Equal([0.08], synced);
        }
    }

    [Fact]
    public async Task Records_AreWrittenOnTheWritersOwnThread_NeverOnAThreadPoolWorker()
    {
        // A pool worker woken per record spun after it (CPU on every read at a low rate), and a pool starved by
        // requests would hold records back: the writer sleeps and writes on a thread of its own.
        await _h.Trail.WriteAsync(Record("read"));
        await _h.Trail.WriteDurableAsync(Record("order")).WaitAsync(TimeSpan.FromSeconds(10));
        _h.Trail.Write(Record("handshake"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 3);
        _h.Time.Advance(TimeSpan.FromSeconds(1)); // the quiet second's flush comes from the same thread
        await _h.Trail.WriteAsync(Record("read after a quiet second"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 4);

        Assert.NotEmpty(_h.Store.OnPoolThread);
        Assert.All(_h.Store.OnPoolThread, onPool => Assert.False(onPool));
    }
}
