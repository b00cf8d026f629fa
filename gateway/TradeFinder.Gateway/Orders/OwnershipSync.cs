using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// For replicas: merges what the others write to the cluster's shared ledger into this replica's ledger, so an order
/// placed (or only reserved: in flight) through one replica counts in the bot's exposure, open-order count and
/// ownership on every replica within milliseconds, without waiting for the exchange's user-data stream. Woken by the
/// writers' NOTIFY; reads the rows committed since its previous read (<see cref="OwnershipStore.ReadChangesAsync"/>:
/// by transaction id, so each change is read about once), and checks every few seconds in case a notification was
/// missed. Merging is idempotent, so a row read twice changes nothing.
/// </summary>
internal sealed class OwnershipSync(OwnershipStore store, OwnershipLedger ledger, TimeProvider time, ILogger<OwnershipSync> logger) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(5);
    private ChangeCursor _cursor = new(null, 0);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.SharedSource is not { } source)
        {
            return Task.CompletedTask;
        }

        // The first read goes by time: rows updated in the last few seconds, which covers what the others wrote since this
        // replica loaded its ledger (OwnershipWriter, just before, at start).
        _cursor = new ChangeCursor(null, time.GetUtcNow().ToUnixTimeMilliseconds());
        return PostgresNotifications.ListenAsync(source, OwnershipStore.Channel, Check,
            caughtUp: MergeAsync,

            // Another replica wrote, or the check is due; this replica's own writes are in its ledger already.
            woken: (writers, ct) => writers.Count == 0 || writers.Any(w => w != store.AnnounceAs) ? MergeAsync(ct) : Task.CompletedTask,
            lost: e => OrdersLog.OwnershipStoreFailed(logger, e.Message),
            time, stoppingToken);
    }

    private async Task MergeAsync(CancellationToken cancellationToken)
    {
        var (rows, next) = await store.ReadChangesAsync(_cursor, cancellationToken).ConfigureAwait(false);
        ledger.Merge(rows);
        _cursor = next;

        // A replica whose own bots place nothing grows only by merging, and its writer (which forgets after each write) stays idle.
        ledger.ForgetExpired();
    }
}
