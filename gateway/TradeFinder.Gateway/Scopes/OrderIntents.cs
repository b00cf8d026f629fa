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
            _ => IsReducing(request.Get) ? OrderIntent.Reduce : OrderIntent.Increase,
        };
    }

    /// <summary>
    /// reduceOnly or closePosition, or hedge-mode closing sides (LONG+SELL, SHORT+BUY): the exchange's own
    /// list of risk-reducing orders (Binance USDⓈ-M Futures "Error codes", -1008: reduce-only and close-position orders are exempt).
    /// </summary>
    public static bool IsReducing(Func<string, string?> p) =>
        string.Equals(p("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(p("closePosition"), "true", StringComparison.OrdinalIgnoreCase)
        || (p("positionSide"), p("side")) is ("LONG", "SELL") or ("SHORT", "BUY");

    /// <summary>A batch reduces only if every element does; one that cannot be read adds risk until validation refuses it.</summary>
    private static OrderIntent Batch(BatchOrders batch) =>
        !batch.Malformed && batch.Orders.Count > 0 && batch.Orders.All(o => IsReducing(o.Get)) ? OrderIntent.Reduce : OrderIntent.Increase;
}
