using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Scopes;

internal static class OrderIntents
{
    public static OrderIntent Of(UsdmEndpoint endpoint, GatewayRequest request)
    {
        if (endpoint.Scope is ScopeNames.TradeLeverage or ScopeNames.TradeMargin)
        {
            return OrderIntent.AccountChange;
        }

        if (endpoint.Scope != ScopeNames.Trade)
        {
            return OrderIntent.Read;
        }

        return (endpoint.Method, endpoint.Path) switch
        {
            ("DELETE", _) or ("POST", UsdmPaths.CountdownCancelAll) => OrderIntent.Cancel,
            ("POST", UsdmPaths.BatchOrders) => Batch(request.Batch),
            _ => ReducingOrders.IsReducing(request.Get) ? OrderIntent.Reduce : OrderIntent.Increase,
        };
    }

    /// <summary>A batch reduces only if every element does; one that cannot be read adds risk until validation refuses it.</summary>
    private static OrderIntent Batch(BatchOrders batch) =>
        !batch.Malformed && batch.Orders.Count > 0 && batch.Orders.All(o => ReducingOrders.IsReducing(o.Get)) ? OrderIntent.Reduce : OrderIntent.Increase;
}
