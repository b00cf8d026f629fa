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
