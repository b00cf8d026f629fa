using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Loads the ownership ledger before the gateway serves, then writes its changes behind it in batches (the
/// latest state of each order wins). A down database delays the writes, never an order; they are kept and retried.
/// No order waits for these writes, so on SQLite they are committed without waiting for the disk, and flushed at most
/// <see cref="FlushEvery"/> later: each sync queued on the one disk beside an order's own <c>sent</c> record's flush,
/// which the order's answer does wait for (docs/PERFORMANCE.md). Every write marks the time before which every change
/// is in it; what a crash or power cut lost after that mark, the recovery at start finds again from those <c>sent</c>
/// records (<see cref="OwnershipRecovery"/>).
/// </summary>
internal sealed class OwnershipWriter(OwnershipLedger ledger, OwnershipStore store, TimeProvider time, IOptions<AuditOptions> options, GatewayMetrics metrics,
    ILogger<OwnershipWriter> logger)
    : BackgroundService
{
    /// <summary>How often the store's expired rows are deleted (after a write, so an idle ledger, which adds none, is left alone).</summary>
    public static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    /// <summary>
    /// A filled order's row is folded into its bot's settled sum this long after its last change: a week past the
    /// ledger's own keep time, so no ledger (this one, a replica's with a clock days off) still holds it to write again,
    /// and no start would load it as an order rather than as a sum.
    /// </summary>
    public static readonly TimeSpan FoldedAfter = OwnershipLedger.FilledKept + TimeSpan.FromDays(7);

    /// <summary>
    /// Rows folded per transaction, one transaction after each write until none are left: ≈ 65 ms of SQLite here, so that
    /// a first fold of a long history (a million rows: ≈ 6.5 s) never holds the ledger's own writes back for longer.
    /// </summary>
    public const int FoldBatch = 10_000;

    /// <summary>The longest a committed change waits to be flushed to disk, whether more changes come or not.</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<(string, bool, string), OwnedOrder> _pending = [];
    private DateTimeOffset _nextPurge;
    private bool _folding;
    private int _folded;
    private DateTimeOffset _lastFlush = DateTimeOffset.MinValue;
    private bool _unflushed;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var filledSince = (now - OwnershipLedger.FilledKept).ToUnixTimeMilliseconds();
            var orders = await store.LoadAsync((now - OwnershipLedger.UnfilledKept).ToUnixTimeMilliseconds(), filledSince, cancellationToken).ConfigureAwait(false);
            var settled = await store.LoadSettledAsync(filledSince, cancellationToken).ConfigureAwait(false);
            ledger.PossiblyLost = await store.CommittedThroughAsync(cancellationToken).ConfigureAwait(false) is { } through
                ? (through, now.ToUnixTimeMilliseconds())
                : null;

            // Both read before either is applied: a position share is its loaded orders plus its settled fills, never half.
            ledger.Load(orders);
            ledger.LoadSettled(settled);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            // Recovery from the exchange's open orders still finds every tagged order; the writer keeps retrying.
            OrdersLog.OwnershipStoreFailed(logger, ex.Message);
        }

        metrics.ObserveOwnership(() => ledger.Count);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var through = time.GetUtcNow();
        Drain();
        if (_pending.Count > 0 || _unflushed)
        {
            try
            {
                await store.UpsertAsync(_pending.Values, through.ToUnixTimeMilliseconds(), flush: true, cancellationToken).ConfigureAwait(false);
                _pending.Clear();
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or OperationCanceledException)
            {
                OrdersLog.OwnershipStoreFailed(logger, ex.Message);
            }
        }

        await store.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the writer on a thread of its own, as the audit writer does: a change woke a thread-pool worker for it, which
    /// spun before it slept again, once per order (docs/PERFORMANCE.md); this thread sleeps on
    /// <see cref="OwnershipLedger.Announced"/> instead. The store's work is synchronous underneath on SQLite; on PostgreSQL its
    /// round trips block this thread, never a pool worker.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WriterThread.Start("Ownership writer", () => Run(stoppingToken));

    private void Run(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(options.Value.RetrySeconds);
        using var stopping = stoppingToken.Register(ledger.Announced.Set);
        using var due = time.CreateTimer(_ => ledger.Announced.Set(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_pending.Count == 0)
                {
                    WaitForChanges(due);
                }

                // Taken before the changes are drained: every change queued before it is in this write or an earlier one.
                var through = time.GetUtcNow();
                Drain();
                var flush = through - _lastFlush >= FlushEvery;
                if ((_pending.Count == 0 && !flush) || stoppingToken.IsCancellationRequested)
                {
                    // Nothing to write (a flush timer that fired as a change came first), or stopping: StopAsync writes
                    // what is pending, flushed.
                    continue;
                }

                store.UpsertAsync(_pending.Values, through.ToUnixTimeMilliseconds(), flush, stoppingToken).GetAwaiter().GetResult();
                _pending.Clear();
                (_lastFlush, _unflushed) = flush ? (through, false) : (_lastFlush, true);

                // Here, after a write, because the ledger only grows when orders change: a few heap look-ups when nothing is due.
                ledger.ForgetExpired();
                PurgeIfDueAsync(stoppingToken).GetAwaiter().GetResult();
                FoldIfDueAsync(stoppingToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
            {
                OrdersLog.OwnershipStoreFailed(logger, ex.Message);
                if (!Sleep(retry, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Until the ledger announces a change; with a write not yet flushed, at most until it is due to be (the write that
    /// follows then has nothing new and is flushed).
    /// </summary>
    private void WaitForChanges(ITimer due)
    {
        if (_unflushed)
        {
            var left = _lastFlush + FlushEvery - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            due.Change(left, Timeout.InfiniteTimeSpan);
        }

        ledger.Announced.Wait(CancellationToken.None);

        // Reset before the changes are read (Drain): a change queued after this announces itself again.
        ledger.Announced.Reset();
        due.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits out a retry on the writer's clock, not woken by the changes that go on coming; false when stopped.</summary>
    private bool Sleep(TimeSpan retry, CancellationToken stoppingToken)
    {
        try
        {
            Task.Delay(retry, time, stoppingToken).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// The store forgets what the ledger has forgotten: closed orders that executed nothing, past their keep time, are
    /// deleted; filled ones, later, are folded into their bots' settled sums (<see cref="FoldIfDueAsync"/>).
    /// </summary>
    private async Task PurgeIfDueAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }

        // Due again in an hour even if this one fails: a purge is never urgent, and its failure must not hold up the writes.
        _nextPurge = now + PurgeEvery;
        _folding = true;
        try
        {
            var purged = await store.PurgeAsync((now - OwnershipLedger.UnfilledKept).ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
            if (purged > 0)
            {
                OrdersLog.OwnershipStorePurged(logger, purged);
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            OrdersLog.OwnershipStoreFailed(logger, ex.Message);
        }
    }

    /// <summary>One batch of old fills folded (<see cref="FoldBatch"/>), after each write from a due purge until none are left.</summary>
    private async Task FoldIfDueAsync(CancellationToken stoppingToken)
    {
        if (!_folding)
        {
            return;
        }

        try
        {
            var folded = await store.FoldSettledAsync((time.GetUtcNow() - FoldedAfter).ToUnixTimeMilliseconds(), FoldBatch, stoppingToken).ConfigureAwait(false);
            _folded += folded;
            if (folded < FoldBatch)
            {
                _folding = false;
                if (_folded > 0)
                {
                    OrdersLog.OwnershipStoreFolded(logger, _folded);
                }

                _folded = 0;
            }
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            // Tried again at the next due purge, like the purge itself.
            _folding = false;
            OrdersLog.OwnershipStoreFailed(logger, ex.Message);
        }
    }

    private void Drain()
    {
        while (ledger.Changes.TryRead(out var order))
        {
            _pending[(order.Account.ToString(), order.Algo, order.ClientId)] = order;
        }
    }
}
