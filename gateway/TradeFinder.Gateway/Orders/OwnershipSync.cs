using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// For replicas: merges what the others write to the cluster's shared ledger into this replica's ledger, so an order
/// placed (or only reserved: in flight) through one replica counts in the bot's exposure, open-order count and
/// ownership on every replica within milliseconds, without waiting for the exchange's user-data stream. Woken by the
/// writers' NOTIFY; reads the rows stamped since a little before its previous read (by its own clock, with room for
/// replicas' clocks to differ by a few seconds: hosts keep NTP time), and checks every few seconds in case a
/// notification was missed. Merging is idempotent, so rows read twice change nothing.
/// </summary>
internal sealed class OwnershipSync(OwnershipStore store, OwnershipLedger ledger, TimeProvider time, ILogger<OwnershipSync> logger) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(5);
    private const long ClockSlackMs = 5_000;
    private long _lastRead;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.SharedSource is not { } source)
        {
            return Task.CompletedTask;
        }

        _lastRead = time.GetUtcNow().ToUnixTimeMilliseconds();
        return PostgresNotifications.ListenAsync(source, OwnershipStore.Channel, Check,
            caughtUp: MergeAsync,

            // Another replica wrote, or the check is due; this replica's own writes are in its ledger already.
            woken: (writers, ct) => writers.Count == 0 || writers.Any(w => w != store.AnnounceAs) ? MergeAsync(ct) : Task.CompletedTask,
            lost: e => OrdersLog.OwnershipStoreFailed(logger, e.Message),
            time, stoppingToken);
    }

    private async Task MergeAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow().ToUnixTimeMilliseconds();
        ledger.Merge(await store.ChangedSinceAsync(_lastRead - ClockSlackMs, cancellationToken).ConfigureAwait(false));
        _lastRead = started;

        // A replica whose own bots place nothing grows only by merging, and its writer (which forgets after each write) stays idle.
        ledger.ForgetExpired();
    }
}
