using Microsoft.Extensions.DependencyInjection.Extensions;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

internal static class OrdersServiceCollectionExtensions
{
    /// <summary>Which bot owns which order (persisted next to the audit trail, or shared by replicas), each bot's view of the shared account, and its exposure.</summary>
    public static IServiceCollection AddGatewayOrders(this IServiceCollection services, IConfiguration configuration, GatewayPaths paths)
    {
        services.TryAddSingleton<OwnershipLedger>();
        services.TryAddSingleton(_ => OwnershipStore.Create(AuditServiceCollectionExtensions.BindOptions(configuration), paths, configuration.ClusterPostgres()));
        services.TryAddSingleton<BotTags>();
        services.TryAddSingleton<OwnedViews>();
        services.TryAddSingleton<OwnCancels>();
        services.AddHostedService<OwnershipWriter>();
        services.AddHostedService<OwnershipRecovery>();
        services.AddHostedService<OwnershipSync>(); // replicas: merge the others' rows (idle unless the ledger is shared)
        return services;
    }
}
