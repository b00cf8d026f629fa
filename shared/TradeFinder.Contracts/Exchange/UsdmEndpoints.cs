using System.Collections.Frozen;
using static TradeFinder.Contracts.Exchange.ScopeNames;

namespace TradeFinder.Contracts.Exchange;

/// <summary>
/// The USDⓈ-M endpoints the gateway serves and the simulator implements (reference §5). Withdrawal,
/// transfer and spot/sapi paths are deliberately absent.
/// </summary>
public static class UsdmEndpoints
{
    /// <summary>Every endpoint, in the reference's order.</summary>
    public static IReadOnlyList<UsdmEndpoint> All { get; } =
    [
        new("GET", "/fapi/v1/ping", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/time", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/exchangeInfo", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/depth", SecurityType.None, 10, MarketRead),
        new("GET", "/fapi/v1/trades", SecurityType.None, 5, MarketRead),
        new("GET", "/fapi/v1/klines", SecurityType.None, 2, MarketRead),
        new("GET", "/fapi/v1/ticker/price", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v2/ticker/price", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/ticker/24hr", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/premiumIndex", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v1/fundingRate", SecurityType.None, 1, MarketRead),
        new("GET", "/fapi/v2/account", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v3/account", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v2/balance", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v3/balance", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v2/positionRisk", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v3/positionRisk", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v1/openOrders", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/allOrders", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v1/order", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/userTrades", SecurityType.UserData, 5, AccountRead),
        new("GET", "/fapi/v1/income", SecurityType.UserData, 30, AccountRead),
        new("GET", "/fapi/v1/commissionRate", SecurityType.UserData, 20, AccountRead),
        new("GET", "/fapi/v1/leverageBracket", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/positionSide/dual", SecurityType.UserData, 30, AccountRead),
        new("GET", "/fapi/v1/rateLimit/order", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/algoOrder", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/openAlgoOrders", SecurityType.UserData, 1, AccountRead),
        new("GET", "/fapi/v1/allAlgoOrders", SecurityType.UserData, 5, AccountRead),
        new("POST", "/fapi/v1/order", SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("PUT", "/fapi/v1/order", SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("DELETE", "/fapi/v1/order", SecurityType.Trade, 1, Trade),
        new("POST", "/fapi/v1/batchOrders", SecurityType.Trade, 5, Trade, OrderCount: 5),
        new("DELETE", "/fapi/v1/batchOrders", SecurityType.Trade, 1, Trade),
        new("DELETE", "/fapi/v1/allOpenOrders", SecurityType.Trade, 1, Trade),
        new("POST", "/fapi/v1/countdownCancelAll", SecurityType.Trade, 10, Trade),
        new("POST", "/fapi/v1/algoOrder", SecurityType.Trade, 0, Trade, OrderCount: 1),
        new("DELETE", "/fapi/v1/algoOrder", SecurityType.Trade, 1, Trade),
        new("DELETE", "/fapi/v1/algoOpenOrders", SecurityType.Trade, 1, Trade),
        new("POST", "/fapi/v1/leverage", SecurityType.Trade, 1, TradeLeverage),
        new("POST", "/fapi/v1/marginType", SecurityType.Trade, 1, TradeMargin),
        new("POST", "/fapi/v1/positionMargin", SecurityType.Trade, 1, TradeMargin),
        new("POST", "/fapi/v1/positionSide/dual", SecurityType.Trade, 1, TradeMargin),
        new("POST", "/fapi/v1/listenKey", SecurityType.UserStream, 1, UserStream),
        new("PUT", "/fapi/v1/listenKey", SecurityType.UserStream, 1, UserStream),
        new("DELETE", "/fapi/v1/listenKey", SecurityType.UserStream, 1, UserStream),
    ];

    private static readonly FrozenDictionary<(string Method, string Path), UsdmEndpoint> ByKey =
        All.ToFrozenDictionary(e => (e.Method, e.Path));

    /// <summary>Exact, case-sensitive lookup; null when the endpoint is not served.</summary>
    /// <param name="method">HTTP method, upper case.</param>
    /// <param name="path">Request path.</param>
    /// <returns>The endpoint, or null.</returns>
    public static UsdmEndpoint? Find(string method, string path) => ByKey.GetValueOrDefault((method, path));
}
