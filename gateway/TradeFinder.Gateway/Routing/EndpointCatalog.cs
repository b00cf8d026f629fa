using System.Collections.Frozen;
using TradeFinder.Contracts.Exchange;
using static TradeFinder.Contracts.Exchange.ScopeNames;

namespace TradeFinder.Gateway.Routing;

/// <summary>
/// Every USDⓈ-M endpoint the gateway forwards (reference §5). Anything else is refused, so withdrawal,
/// transfer and spot/sapi paths are unreachable by construction. Weights are the base weights; the
/// parameter-dependent ones are refined by the rate limiter.
/// </summary>
internal sealed class EndpointCatalog
{
    private static readonly CatalogEntry[] Entries =
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
        new("POST", "/fapi/v1/order", SecurityType.Trade, 0, Trade),
        new("PUT", "/fapi/v1/order", SecurityType.Trade, 0, Trade),
        new("DELETE", "/fapi/v1/order", SecurityType.Trade, 1, Trade),
        new("POST", "/fapi/v1/batchOrders", SecurityType.Trade, 5, Trade),
        new("DELETE", "/fapi/v1/batchOrders", SecurityType.Trade, 1, Trade),
        new("DELETE", "/fapi/v1/allOpenOrders", SecurityType.Trade, 1, Trade),
        new("POST", "/fapi/v1/countdownCancelAll", SecurityType.Trade, 10, Trade),
        new("POST", "/fapi/v1/algoOrder", SecurityType.Trade, 0, Trade),
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

    private readonly FrozenDictionary<(string Method, string Path), CatalogEntry> _byKey =
        Entries.ToFrozenDictionary(e => (e.Method, e.Path));

    public static IReadOnlyList<CatalogEntry> All => Entries;

    /// <summary>Exact, case-sensitive match: the exchange's paths are case-sensitive and nothing is guessed.</summary>
    public CatalogEntry? Find(string method, string path) => _byKey.GetValueOrDefault((method, path));
}
