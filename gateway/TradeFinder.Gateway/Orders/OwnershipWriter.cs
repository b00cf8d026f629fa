using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Loads the ownership ledger before the gateway serves, then writes its changes behind it in batches (the
/// latest state of each order wins). A down database delays the writes, never an order; they are kept and retried.
/// </summary>
internal sealed class OwnershipWriter(OwnershipLedger ledger, OwnershipStore store, TimeProvider time, IOptions<AuditOptions> options, ILogger<OwnershipWriter> logger)
    : BackgroundService
{
    /// <summary>Closed orders are loaded back for this long (queries, trade lists and cancels by exchange id).</summary>
    public static readonly TimeSpan ClosedOrdersKept = TimeSpan.FromDays(7);

    private readonly Dictionary<(string, bool, string), OwnedOrder> _pending = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var since = time.GetUtcNow() - ClosedOrdersKept;
            ledger.Load(await store.LoadAsync(since.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException or TimeoutException)
        {
            // Recovery from the exchange's open orders still finds every tagged order; the writer keeps retrying.
            OrdersLog.OwnershipStoreFailed(logger, ex.Message);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Drain();
        if (_pending.Count > 0)
        {
            try
            {
                await store.UpsertAsync(_pending.Values, cancellationToken).ConfigureAwait(false);
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
                    await ledger.Changes.WaitToReadAsync(stoppingToken).ConfigureAwait(false);
                }

                Drain();
                await store.UpsertAsync(_pending.Values, stoppingToken).ConfigureAwait(false);
                _pending.Clear();
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

    private void Drain()
    {
        while (ledger.Changes.TryRead(out var order))
        {
            _pending[(order.Account.ToString(), order.Algo, order.ClientId)] = order;
        }
    }
}
