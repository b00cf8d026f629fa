using System.Collections.Frozen;
using static TradeFinder.Contracts.Exchange.ScopeNames;

namespace TradeFinder.Contracts.Exchange;

/// <summary>
/// The USDⓈ-M endpoints the gateway serves and the simulator implements (Binance USDⓈ-M Futures API endpoint pages). Withdrawal,
/// transfer and spot/sapi paths are deliberately absent.
/// </summary>
public static class UsdmEndpoints
{
    /// <summary>Every endpoint, in the reference's order.</summary>
    public static IReadOnlyList<UsdmEndpoint> All { get; } =
    [
        new("GET", UsdmPaths.Ping, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.Time, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.ExchangeInfo, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.Depth, SecurityType.None, 10, MarketRead),
        new("GET", UsdmPaths.Trades, SecurityType.None, 5, MarketRead),
        new("GET", UsdmPaths.Klines, SecurityType.None, 2, MarketRead),
        new("GET", UsdmPaths.TickerPrice, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.TickerPriceV2, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.Ticker24Hr, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.PremiumIndex, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.FundingRate, SecurityType.None, 1, MarketRead),
        new("GET", UsdmPaths.AccountV2, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.AccountV3, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.BalanceV2, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.BalanceV3, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.PositionRiskV2, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.PositionRiskV3, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.OpenOrders, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.AllOrders, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.Order, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.UserTrades, SecurityType.UserData, 5, AccountRead),
        new("GET", UsdmPaths.Income, SecurityType.UserData, 30, AccountRead),
        new("GET", UsdmPaths.CommissionRate, SecurityType.UserData, 20, AccountRead),
        new("GET", UsdmPaths.LeverageBracket, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.PositionSideDual, SecurityType.UserData, 30, AccountRead),
        new("GET", UsdmPaths.RateLimitOrder, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.AlgoOrder, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.OpenAlgoOrders, SecurityType.UserData, 1, AccountRead),
        new("GET", UsdmPaths.AllAlgoOrders, SecurityType.UserData, 5, AccountRead),
        new("POST", UsdmPaths.Order, SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("PUT", UsdmPaths.Order, SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("DELETE", UsdmPaths.Order, SecurityType.Trade, 1, Trade),
        new("POST", UsdmPaths.BatchOrders, SecurityType.Trade, 5, Trade, OrderCount: 5),
        new("DELETE", UsdmPaths.BatchOrders, SecurityType.Trade, 1, Trade),
        new("DELETE", UsdmPaths.AllOpenOrders, SecurityType.Trade, 1, Trade),
        new("POST", UsdmPaths.CountdownCancelAll, SecurityType.Trade, 10, TradeCountdown),
        new("POST", UsdmPaths.AlgoOrder, SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("DELETE", UsdmPaths.AlgoOrder, SecurityType.Trade, 1, Trade),
        new("DELETE", UsdmPaths.AlgoOpenOrders, SecurityType.Trade, 1, Trade),
        new("POST", UsdmPaths.Leverage, SecurityType.Trade, 1, TradeLeverage),
        new("POST", UsdmPaths.MarginType, SecurityType.Trade, 1, TradeMargin),
        new("POST", UsdmPaths.PositionMargin, SecurityType.Trade, 1, TradeMargin),
        new("POST", UsdmPaths.PositionSideDual, SecurityType.Trade, 1, TradeMargin),
        new("POST", UsdmPaths.ListenKey, SecurityType.UserStream, 1, UserStream),
        new("PUT", UsdmPaths.ListenKey, SecurityType.UserStream, 1, UserStream),
        new("DELETE", UsdmPaths.ListenKey, SecurityType.UserStream, 1, UserStream),
    ];

    private static readonly FrozenDictionary<(string Method, string Path), UsdmEndpoint> ByKey =
        All.ToFrozenDictionary(e => (e.Method, e.Path));

    /// <summary>Exact, case-sensitive lookup; null when the endpoint is not served.</summary>
    /// <param name="method">HTTP method, upper case.</param>
    /// <param name="path">Request path.</param>
    /// <returns>The endpoint, or null.</returns>
    public static UsdmEndpoint? Find(string method, string path) => ByKey.GetValueOrDefault((method, path));
}
