using Npgsql;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// The bot and admin registries' storage, chosen once from the settings: files in the data dir, or the cluster's
/// PostgreSQL when <c>Gateway:Cluster:Postgres</c> is set (the gateway and its CLI always agree on which).
/// </summary>
internal sealed class RegistryStorages : IDisposable
{
    private readonly NpgsqlDataSource? _source;

    private RegistryStorages(RegistryStorage bots, RegistryStorage admins, NpgsqlDataSource? source)
    {
        Bots = bots;
        Admins = admins;
        _source = source;
    }

    public RegistryStorage Bots { get; }

    public RegistryStorage Admins { get; }

    /// <summary>The shared storages a listener keeps fresh; none on a single node.</summary>
    public IReadOnlyList<PostgresRegistryStorage> Shared => [.. new[] { Bots, Admins }.OfType<PostgresRegistryStorage>()];

    public NpgsqlDataSource? Source => _source;

    public static RegistryStorages Open(IConfiguration configuration)
    {
        var paths = GatewayPaths.From(configuration);
        if (configuration.ClusterPostgres() is not { } connectionString)
        {
            return new RegistryStorages(new FileRegistryStorage(paths.BotRegistryFile), new FileRegistryStorage(paths.AdminRegistryFile), null);
        }

        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            return new RegistryStorages(
                new PostgresRegistryStorage(source, "bots", paths.BotRegistryFile),
                new PostgresRegistryStorage(source, "admins", paths.AdminRegistryFile),
                source);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            source.Dispose();
            throw new GatewayStartupException($"Gateway__Cluster__Postgres: the cluster's PostgreSQL is unreachable or refused the registry ({e.GetType().Name}: {e.Message}); the registries of bots and admins live there.");
        }
    }

    public void Dispose() => _source?.Dispose();
}
