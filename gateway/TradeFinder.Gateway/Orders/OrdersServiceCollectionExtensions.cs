using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TradeFinder.Gateway.Orders;

internal static class OrdersServiceCollectionExtensions
{
    /// <summary>Which bot placed which order, so cancels and lookups stay with their owner.</summary>
    public static IServiceCollection AddGatewayOrders(this IServiceCollection services)
    {
        services.TryAddSingleton<OrderLedger>();
        return services;
    }
}
