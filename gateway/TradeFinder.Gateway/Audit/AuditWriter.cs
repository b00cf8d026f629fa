using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The single writer of the chain. Drains the queue in batches, chains and commits them; while the database
/// is unreachable it spools to a file and keeps retrying, then replays the spool (exactly once) before
/// anything newer. Also applies retention once a day. Its lock (<c>_gate</c>) keeps every change to the chain and the
/// store one at a time, the last flush on stop included.
/// </summary>
internal sealed class AuditWriter(
    AuditTrail trail, IAuditStore store, AuditSpool spool, AuditChainKey key, AuditCheckpoints checkpoints, TimeProvider time, IOptions<AuditOptions> options,
    ILogger<AuditWriter> logger, GatewayMetrics? metrics = null) : BackgroundService
{
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    // SQLite's automatic checkpoint copies the log once it passes 1,000 pages; a one-row commit of this schema writes
    // about five (the row and its four index entries). A copy a second bounds the log about as well under a flood
    // (≈ 200 orders a second: their sent and outcome records), and each copy's sync of the database file competes with
    // the syncs of order records on the disk: fewer is better for orders.
    private static readonly TimeSpan LogCheckpointEvery = TimeSpan.FromSeconds(1);

    // Held for every use of the chain's state and the store's writes: across a batch, and by the last flush on stop.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastLogCheckpoint = DateTimeOffset.MinValue;

    // The log copy under way, on a connection of its own, beside the writer's commits (SQLite lets one checkpoint run
    // while the log is appended to), so that no record waits for a copy.
    private Task _logCopy = Task.CompletedTask;

    // The log may hold commits the last copy did not reach: one started while it ran (SQLite copies the log as it was when
    // the copy began), or the copy could not finish. The writer then finishes the copy (FinishLogCopy).
    private volatile bool _logBehind;

    // The chain's last row when the log was last copied: a copy is due once the chain has moved past it, whoever committed.
    private long _sequenceAtLogCheckpoint;
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.MinValue;
    private long _checkpointed;
    private long _sequence;
    private string _hash = AuditChain.Genesis;

    // When the last batch was committed (the clock's timestamp), once there was one: the gathering window runs from it.
    private long? _lastCommit;

    // The last row known to be on disk, not only committed: what a checkpoint may name.
    private long _durableSequence;
    private string _durableHash = AuditChain.Genesis;
    private volatile bool _stopping;
    private bool _down = true;
    private long _nextPurgeMs;

    /// <summary>Whether the database currently takes writes (false means records go to the spool).</summary>
    public bool DatabaseAvailable => !_down;

    /// <summary>Why spool replay is stopped (a line an operator must look at), or null.</summary>
    public string? ReplayStopped { get; private set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        metrics?.ObserveAudit(() => DatabaseAvailable, () => ReplayStopped is not null);

        // Try once before serving so a healthy database is used from the first request; never block start on it.
        await TryRecoverAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true; // every batch from here on is flushed
        trail.Complete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await FlushAsync().ConfigureAwait(false);
            Checkpoint(force: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Signs where the chain stands on disk, outside the database: at most every second, and on stop.</summary>
    private void Checkpoint(bool force = false)
    {
        var now = time.GetUtcNow();
        if (_durableSequence == _checkpointed || (!force && !CheckpointDue(now)))
        {
            return;
        }

        checkpoints.Append(_durableSequence, _durableHash, now.ToUnixTimeMilliseconds());
        (_checkpointed, _lastCheckpoint) = (_durableSequence, now);
    }

    private bool CheckpointDue(DateTimeOffset now) => now - _lastCheckpoint >= CheckpointEvery;

    private void Flushed() => (_durableSequence, _durableHash) = (_sequence, _hash);

    /// <summary>Makes what was committed without waiting for the disk durable (idle or stopping), then it may be checkpointed.</summary>
    private async Task FlushAsync()
    {
        // First, even with nothing to flush: one checkpoint at a time (a full one beside a log copy would find SQLite's
        // checkpoint lock taken), and on stop the store is disposed next, while a copy may still hold a connection.
        await _logCopy.ConfigureAwait(false);
        if (_down || _durableSequence == _sequence)
        {
            return;
        }

        try
        {
            if (await store.FlushAsync(CancellationToken.None).ConfigureAwait(false))
            {
                Flushed();
            }
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            MarkDown(ex);
        }
    }

    /// <summary>
    /// Runs the writer on a thread of its own. Its work is synchronous underneath (SQLite's), and a thread-pool worker
    /// woken per record at a low rate spun for tens of microseconds after each (≈ 0.5 ms of CPU per read at 20/s, see
    /// docs/PERFORMANCE.md); this thread sleeps on <see cref="AuditTrail.Queued"/> instead. An asynchronous store (PostgreSQL)
    /// blocks this thread, never a pool worker, for its round trips.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WriterThread.Start("Audit writer", () => Run(stoppingToken));

    private void Run(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(options.Value.RetrySeconds);
        var batch = new List<AuditTrail.Pending>(options.Value.BatchSize);
        using var stopping = stoppingToken.Register(trail.Queued.Set);
        using var quiet = time.CreateTimer(_ => trail.Queued.Set(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (true)
        {
            batch.Clear();
            var more = WaitForWork(retry, quiet, stoppingToken);
            var checkpoint = false;
            _gate.Wait(CancellationToken.None);
            try
            {
                while (batch.Count < options.Value.BatchSize && trail.TryTake(out var pending))
                {
                    batch.Add(pending);
                }

                if (_down || spool.HasEntries)
                {
                    TryRecoverAsync(CancellationToken.None).GetAwaiter().GetResult();
                }

                FinishLogCopy();
                if (batch.Count > 0)
                {
                    checkpoint = WriteAsync(batch).GetAwaiter().GetResult();
                }

                PurgeIfDueAsync().GetAwaiter().GetResult();
            }
            finally
            {
                _gate.Release();
            }

            // Answers first, with the lock released: the records are committed (and on disk where awaited); a due
            // checkpoint's own file sync, once a second, is no order's to wait for.
            Release(batch);
            if (checkpoint)
            {
                _gate.Wait(CancellationToken.None);
                try
                {
                    Checkpoint(force: true);
                }
                finally
                {
                    _gate.Release();
                }
            }

            CopyLogIfDue();
            if (!more && batch.Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Starts a copy of the store's log into the database (SQLite: its automatic checkpoint is off, so that no commit pays
    /// for one with the writer's lock held) at most every second while there were commits, on the thread pool: the writer
    /// goes on committing while it runs. One at a time.
    /// </summary>
    private void CopyLogIfDue()
    {
        var now = time.GetUtcNow();
        var sequence = _sequence;
        if (!_logCopy.IsCompleted || sequence == _sequenceAtLogCheckpoint || now - _lastLogCheckpoint < LogCheckpointEvery)
        {
            return;
        }

        _lastLogCheckpoint = now;
        _logCopy = Task.Run(async () =>
        {
            try
            {
                var whole = await store.CheckpointLogAsync(CancellationToken.None).ConfigureAwait(false);
                _sequenceAtLogCheckpoint = sequence;
                if (!whole)
                {
                    _logBehind = true;
                }
            }
            catch (Exception ex) when (IsDatabaseFailure(ex))
            {
                // Not a lost record: the rows stay in the log, and the next copy (or the next failing append) finds out more.
                AuditLog.AuditLogCheckpointFailed(logger, store.Name, ex.GetType().Name, ex.Message);
            }
        });

        // Once the copy has ended (the writer looks at that), wake the writer if it is asleep: it finishes the copy.
        _ = _logCopy.ContinueWith(
            _ =>
            {
                if (_logBehind)
                {
                    trail.Queued.Set();
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Copies, with the writer's lock held, what the last copy did not reach: the commits that landed while it ran. SQLite
    /// starts its log over only at a commit that finds the whole log copied (SQLite, "Write-Ahead Logging": avoiding
    /// excessively large WAL files); with a commit during every copy, as under a steady flood, that would never happen, and
    /// the log would grow for as long as the flood lasts. What is left is a few commits' pages, so no record waits long
    /// behind it. Once: a reader's snapshot may still keep it from finishing, and then the next second's copy tries again.
    /// </summary>
    private void FinishLogCopy()
    {
        if (!LogCopyToFinish)
        {
            return;
        }

        _logBehind = false;
        if (_down)
        {
            return;
        }

        try
        {
            store.CheckpointLogAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            AuditLog.AuditLogCheckpointFailed(logger, store.Name, ex.GetType().Name, ex.Message);
        }
    }

    private bool LogCopyToFinish => _logBehind && _logCopy.IsCompleted;

    /// <summary>Before each commit: one that starts while a copy runs may land after the point the copy copies up to.</summary>
    private void Committing()
    {
        // Only ever set here (the copy sets it, too): a read-modify-write could undo the copy's.
        if (!_logCopy.IsCompleted)
        {
            _logBehind = true;
        }
    }

    /// <summary>
    /// Waits for records; for the retry interval when the database is down; otherwise for the checkpoint interval, after
    /// which rows committed without waiting for the disk are flushed. False once drained and stopping.
    /// </summary>
    private bool WaitForWork(TimeSpan retry, ITimer quiet, CancellationToken stoppingToken)
    {
        var deadline = time.GetUtcNow() + (_down || spool.HasEntries ? retry : CheckpointEvery);
        while (true)
        {
            // Reset, then look: the first record queued after Looking (or the timer firing) sets it again, so the wait returns.
            trail.Queued.Reset();
            trail.Looking();
            if (trail.Reader.TryPeek(out _))
            {
                Gather(stoppingToken);
                return true;
            }

            if (LogCopyToFinish)
            {
                return true;
            }

            if (trail.Reader.Completion.IsCompleted || stoppingToken.IsCancellationRequested)
            {
                return false;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            quiet.Change(left, Timeout.InfiniteTimeSpan);
            trail.Queued.Wait(CancellationToken.None);
        }

        _gate.Wait(CancellationToken.None);
        try
        {
            if (!_down && _durableSequence != _sequence)
            {
                // A second without records: the last ones go to disk and are named (quiet, so at most once a second).
                FlushAsync().GetAwaiter().GetResult();
                Checkpoint(force: true);
            }
        }
        finally
        {
            _gate.Release();
        }

        return true;
    }

    /// <summary>
    /// Spaces the commits of records that need not wait for the disk (reads, refusals) by the gathering window, so that
    /// under load several share one commit and its pages (the table's and each index's last page) and the writer wakes
    /// once for them instead of once per record. A record that comes a window or more after the last commit is committed
    /// at once: at a low rate nothing waits and the writer wakes once per record, as without a window. Never held back:
    /// a record awaited on disk (an order's answer waits for it), a full batch, a store that is down, a stop.
    /// </summary>
    private void Gather(CancellationToken stoppingToken)
    {
        var gather = TimeSpan.FromMilliseconds(options.Value.GatherMilliseconds);
        if (gather <= TimeSpan.Zero || _down || _stopping || _lastCommit is not { } last)
        {
            return;
        }

        trail.Gathering();
        trail.Queued.Reset();
        if (trail.DurableQueued || trail.FullBatchQueued || trail.Reader.Completion.IsCompleted || stoppingToken.IsCancellationRequested)
        {
            return;
        }

        // The writer's own thread sleeps out the window: a timer would wake a thread-pool worker for it, the cost the
        // writer's own thread exists to avoid. The clock says when the window is over; the wait only sleeps until then,
        // or until a record it must not hold back arrives.
        while (time.GetElapsedTime(last) is var since && since < gather)
        {
            if (trail.Queued.Wait(gather - since, CancellationToken.None))
            {
                return;
            }
        }
    }

    /// <summary>Commits the batch (or spools it); true when the commit made a checkpoint due, to be written once the batch is released.</summary>
    private async Task<bool> WriteAsync(List<AuditTrail.Pending> batch)
    {
        var records = batch.Select(p => p.Record).ToArray();
        if (!_down && !spool.HasEntries)
        {
            var chained = Chain(records, _sequence, _hash);

            // Records of requests that changed nothing at the exchange need not wait for the disk (a crash of the
            // process keeps them; a power cut may lose the last second of them). The record of an order or cancel
            // sent to the exchange does, and so does a batch a due checkpoint will name: a checkpoint names only rows
            // on disk.
            var checkpointDue = CheckpointDue(time.GetUtcNow());
            var flush = _stopping || checkpointDue || batch.Exists(p => p.Flush);
            try
            {
                Committing();
                var started = time.GetTimestamp();
                await (flush ? store.AppendAsync(chained, CancellationToken.None) : store.AppendUnflushedAsync(chained, CancellationToken.None)).ConfigureAwait(false);
                (_sequence, _hash) = (chained[^1].Sequence, chained[^1].Hash);
                _lastCommit = time.GetTimestamp();
                if (flush)
                {
                    // Timed: every order answer waits for such a commit, so a slow disk shows here before bots feel it.
                    metrics?.AuditSynced(time.GetElapsedTime(started));
                    Flushed();
                }

                // Decided with the commit it names (flushed because it was due), written once the batch is released.
                return checkpointDue;
            }
            catch (Exception ex) when (IsDatabaseFailure(ex))
            {
                MarkDown(ex);
            }
        }

        spool.Append(records);
        return false;
    }

    private async Task TryRecoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);

            // The last commit before an outage may or may not have landed: re-read the tail, and let the
            // replay skip whatever the database already holds.
            (_sequence, _hash) = await store.TailAsync(cancellationToken).ConfigureAwait(false);
            if (await store.FlushAsync(cancellationToken).ConfigureAwait(false))
            {
                Flushed();
            }

            var spooled = spool.ReadAll();
            ReplayStopped = null;
            if (spooled.Count > 0)
            {
                var existing = await store.ExistingAsync([.. spooled.Select(r => r.EventId)], cancellationToken).ConfigureAwait(false);
                var missing = spooled.Where(r => !existing.Contains(r.EventId)).DistinctBy(r => r.EventId).ToArray();
                if (missing.Length > 0)
                {
                    var chained = Chain(missing, _sequence, _hash);
                    Committing();
                    await store.AppendAsync(chained, cancellationToken).ConfigureAwait(false);
                    (_sequence, _hash) = (chained[^1].Sequence, chained[^1].Hash);
                    Flushed();
                }

                spool.Clear();
                AuditLog.AuditSpoolReplayed(logger, missing.Length, spooled.Count - missing.Length);
            }

            if (_down)
            {
                AuditLog.AuditStoreAvailable(logger, store.Name, _sequence);
            }

            _down = false;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            MarkDown(ex);
        }
        catch (AuditSpoolException ex)
        {
            // Nothing is replayed or cleared; new records keep their order behind the bad line in the spool.
            if (ReplayStopped != ex.Message)
            {
                AuditLog.AuditSpoolReplayStopped(logger, ex.Message);
            }

            ReplayStopped = ex.Message;
        }
    }

    private async Task PurgeIfDueAsync()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_down || now < _nextPurgeMs)
        {
            return;
        }

        _nextPurgeMs = now + (long)TimeSpan.FromDays(1).TotalMilliseconds;
        try
        {
            var cutoff = now - (long)TimeSpan.FromDays(options.Value.RetentionDays).TotalMilliseconds;
            await store.PurgeBeforeAsync(cutoff, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            MarkDown(ex);
        }
    }

    private AuditEvent[] Chain(AuditRecord[] records, long sequence, string hash)
    {
        var chained = new AuditEvent[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            chained[i] = AuditChain.Link(records[i], ++sequence, hash, key);
            hash = chained[i].Hash;
        }

        return chained;
    }

    /// <summary>
    /// Tells the batch's awaited records' requests that their records are on disk. The last of them goes on on this thread
    /// (its answer written to the bot, the rest of its steps, until it waits for something), not on a thread-pool worker
    /// woken for it: on an idle machine that hand-off could cost an order's answer more than the write itself (an idle
    /// virtual CPU woken, docs/PERFORMANCE.md). The others, which a busier writer has, go to the thread pool at once, so
    /// that none waits for another's steps. Never with the writer's lock held: what a request does next is not the chain's.
    /// </summary>
    private static void Release(List<AuditTrail.Pending> batch)
    {
        TaskCompletionSource? last = null;
        foreach (var pending in batch)
        {
            if (pending.Done is not { } done)
            {
                continue;
            }

            if (last is not null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static d => d.TrySetResult(), last, preferLocal: false);
            }

            last = done;
        }

        last?.TrySetResult();
    }

    private void MarkDown(Exception ex)
    {
        if (!_down)
        {
            AuditLog.AuditStoreUnavailable(logger, store.Name, ex.GetType().Name, ex.Message);
        }

        _down = true;
    }

    private static bool IsDatabaseFailure(Exception ex) =>
        ex is System.Data.Common.DbException or IOException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException;
}
