using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Keeps a replica's copy of the shared registries current: LISTEN for the notification every change sends (a halt or
/// revocation made on one replica reaches the others within milliseconds), a reload of everything after each
/// (re)connection in case a notification was missed, and a check every few seconds as a safety net.
/// </summary>
internal sealed class RegistryListener(RegistryStorages storages, TimeProvider time, ILogger<RegistryListener> logger) : BackgroundService
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shared = storages.Shared;
        if (storages.Source is not { } source || shared.Count == 0)
        {
            return Task.CompletedTask;
        }

        return PostgresNotifications.ListenAsync(source, PostgresRegistryStorage.Channel, Check,
            caughtUp: ct => RefreshAsync(shared, ct),
            woken: (names, ct) => RefreshAsync(names.Count == 0 ? shared : [.. shared.Where(s => names.Contains(s.Name))], ct),
            lost: e => IdentityLog.RegistryNotificationsLost(logger, e.GetType().Name, e.Message),
            time, stoppingToken);
    }

    private static async Task RefreshAsync(IEnumerable<PostgresRegistryStorage> storages, CancellationToken cancellationToken)
    {
        foreach (var storage in storages)
        {
            await storage.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
