using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Scopes;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// Who gets the shared budget first when it runs short: cancels and risk-reducing orders, then new orders
/// and account changes, then account reads, then market data.
/// </summary>
internal enum RequestPriority
{
    RiskReducing = 0,
    NewOrder = 1,
    Account = 2,
    MarketData = 3,
}

internal static class RequestPriorities
{
    public static RequestPriority Of(UsdmEndpoint endpoint, OrderIntent intent) => intent switch
    {
        OrderIntent.Cancel or OrderIntent.Reduce => RequestPriority.RiskReducing,
        OrderIntent.Increase or OrderIntent.AccountChange => RequestPriority.NewOrder,
        _ => endpoint.Scope == ScopeNames.MarketRead ? RequestPriority.MarketData : RequestPriority.Account,
    };
}
