using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Budgets;

internal static class RequestPriorities
{
    public static RequestPriority Of(UsdmEndpoint endpoint, OrderIntent intent) => intent switch
    {
        OrderIntent.Cancel or OrderIntent.Reduce => RequestPriority.RiskReducing,
        OrderIntent.Increase or OrderIntent.AccountChange => RequestPriority.NewOrder,
        _ => endpoint.Scope == ScopeNames.MarketRead ? RequestPriority.MarketData : RequestPriority.Account,
    };
}
