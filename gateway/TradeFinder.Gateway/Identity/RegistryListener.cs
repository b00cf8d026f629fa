using Npgsql;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Keeps a replica's copy of the shared registries current: LISTEN for the notification every change sends (a halt or
/// revocation made on one replica reaches the others within milliseconds), a reload of everything after each
/// (re)connection in case a notification was missed, and a check every few seconds as a safety net.
/// </summary>
internal sealed class RegistryListener(RegistryStorages storages, TimeProvider time, ILogger<RegistryListener> logger) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shared = storages.Shared;
        if (storages.Source is not { } source || shared.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                var changed = new System.Collections.Concurrent.ConcurrentQueue<string>();
                connection.Notification += (_, e) => changed.Enqueue(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresRegistryStorage.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                foreach (var storage in shared)
                {
                    await storage.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    var notified = await connection.WaitAsync(Check, stoppingToken).ConfigureAwait(false);
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    while (changed.TryDequeue(out var name))
                    {
                        names.Add(name);
                    }

                    foreach (var storage in shared.Where(s => !notified || names.Contains(s.Name)))
                    {
                        await storage.RefreshAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                IdentityLog.RegistryNotificationsLost(logger, e.GetType().Name, e.Message);
                await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

}
