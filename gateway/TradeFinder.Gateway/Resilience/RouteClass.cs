namespace TradeFinder.Gateway.Resilience;

/// <summary>Requests that fail together: a sick matching engine should not stop market data, and the reverse.</summary>
internal enum RouteClass
{
    MarketData,
    Account,
    Trading,
}
