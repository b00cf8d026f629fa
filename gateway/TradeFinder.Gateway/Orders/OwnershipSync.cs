using Npgsql;

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
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private const long ClockSlackMs = 5_000;
    private long _lastRead;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.SharedSource is not { } source)
        {
            return;
        }

        _lastRead = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                var others = 0;
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != store.AnnounceAs)
                    {
                        Interlocked.Increment(ref others);
                    }
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + OwnershipStore.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                await MergeAsync(stoppingToken).ConfigureAwait(false);
                while (!stoppingToken.IsCancellationRequested)
                {
                    var notified = await connection.WaitAsync(Check, stoppingToken).ConfigureAwait(false);
                    if (!notified || Interlocked.Exchange(ref others, 0) > 0)
                    {
                        await MergeAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                OrdersLog.OwnershipStoreFailed(logger, e.Message);
                await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task MergeAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow().ToUnixTimeMilliseconds();
        ledger.Merge(await store.ChangedSinceAsync(_lastRead - ClockSlackMs, cancellationToken).ConfigureAwait(false));
        _lastRead = started;
    }
}
