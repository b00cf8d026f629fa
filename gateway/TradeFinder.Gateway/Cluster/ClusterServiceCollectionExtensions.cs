using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Cluster;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>The shared Redis and the replicas' membership, and the leadership among replicas, when configured; a single node leads alone.</summary>
    public static IServiceCollection AddGatewayCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ClusterOptions, ClusterOptionsValidator>(o => o.Bind(configuration.GetSection(ClusterOptions.Section)));
        services.PostConfigure<ClusterOptions>(o => o.ReplicaId ??= ClusterOptions.NewReplicaId()); // one name in every log line and in the membership
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
