using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(options.Value.RetrySeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_pending.Count == 0)
                {
                    await WaitForChangesAsync(stoppingToken).ConfigureAwait(false);
                }

                // Taken before the changes are drained: every change queued before it is in this write or an earlier one.
                var through = time.GetUtcNow();
                Drain();
                var flush = through - _lastFlush >= FlushEvery;
                await store.UpsertAsync(_pending.Values, through.ToUnixTimeMilliseconds(), flush, stoppingToken).ConfigureAwait(false);
                _pending.Clear();
                (_lastFlush, _unflushed) = flush ? (through, false) : (_lastFlush, true);

                // Here, after a write, because the ledger only grows when orders change: a few heap look-ups when nothing is due.
                ledger.ForgetExpired();
                await PurgeIfDueAsync(stoppingToken).ConfigureAwait(false);
                await FoldIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
            {
                OrdersLog.OwnershipStoreFailed(logger, ex.Message);
                await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Until the ledger changes; with a write not yet flushed, at most until it is due to be (the write that follows
    /// then has nothing new and is flushed).
    /// </summary>
    private async Task WaitForChangesAsync(CancellationToken stoppingToken)
    {
        if (!_unflushed)
        {
            await ledger.WaitForChangesAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        var due = _lastFlush + FlushEvery - time.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(due, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await ledger.WaitForChangesAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Due: the caller writes (and flushes) what there is, perhaps nothing but the mark.
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
