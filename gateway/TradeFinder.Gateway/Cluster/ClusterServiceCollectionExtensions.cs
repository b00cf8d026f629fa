using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Cluster;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>Whether replicas share state through Redis (<c>Gateway:Cluster:Redis</c> set); if not, a single node as before.</summary>
    public static bool SharesRedis(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ClusterOptions.Section + ":" + nameof(ClusterOptions.Redis)]);

    /// <summary>Whether replicas share their registries through PostgreSQL (<c>Gateway:Cluster:Postgres</c> set).</summary>
    public static bool SharesPostgres(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ClusterOptions.Section + ":" + nameof(ClusterOptions.Postgres)]);

    /// <summary>The cluster's connection string for PostgreSQL, or null on a single node.</summary>
    public static string? ClusterPostgres(this IConfiguration configuration) =>
        configuration.SharesPostgres() ? configuration[ClusterOptions.Section + ":" + nameof(ClusterOptions.Postgres)] : null;

    /// <summary>The shared Redis and the replicas' membership, and the leadership among replicas, when configured; a single node leads alone.</summary>
    public static IServiceCollection AddGatewayCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ClusterOptions, ClusterOptionsValidator>(configuration, ClusterOptions.Section);
        services.AddSingleton<ClusterLeadership>();
        if (configuration.SharesPostgres())
        {
            services.AddHostedService(sp => sp.GetRequiredService<ClusterLeadership>());
        }

        if (configuration.SharesRedis())
        {
            services.AddSingleton<SharedRedis>();
            services.AddSingleton<ClusterMembership>();
            services.AddHostedService(sp => sp.GetRequiredService<ClusterMembership>());
        }

        return services;
    }
}
