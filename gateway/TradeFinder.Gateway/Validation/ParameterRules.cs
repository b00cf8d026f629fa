using System.Collections.Frozen;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Validation;

/// <summary>Which parameters each endpoint takes (required ones marked '*'); anything else is refused.</summary>
internal static class ParameterRules
{
    private const string Order = "symbol*,side*,positionSide,type*,timeInForce,quantity,reduceOnly,price,newClientOrderId,stopPrice,closePosition,activationPrice,callbackRate,workingType,priceProtect,newOrderRespType,priceMatch,selfTradePreventionMode,goodTillDate";
    private const string AlgoOrder = "algoType*,symbol*,side*,positionSide,type*,timeInForce,quantity,price,triggerPrice,workingType,priceMatch,closePosition,priceProtect,reduceOnly,activatePrice,callbackRate,clientAlgoId,selfTradePreventionMode,goodTillDate,newOrderRespType";

    /// <summary>Credential parameters are accepted from any client (and replaced by the gateway).</summary>
    public static readonly FrozenSet<string> Credentials = new[] { "timestamp", "recvWindow", "signature" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<(string, string), (FrozenSet<string> Allowed, string[] Required)> Rules = new Dictionary<(string, string), string>
    {
        [("GET", UsdmPaths.Ping)] = "",
        [("GET", UsdmPaths.Time)] = "",
        [("GET", UsdmPaths.ExchangeInfo)] = "",
        [("GET", UsdmPaths.Depth)] = "symbol*,limit",
        [("GET", UsdmPaths.Trades)] = "symbol*,limit",
        [("GET", UsdmPaths.Klines)] = "symbol*,interval*,startTime,endTime,limit",
        [("GET", UsdmPaths.TickerPrice)] = "symbol",
        [("GET", UsdmPaths.TickerPriceV2)] = "symbol",
        [("GET", UsdmPaths.Ticker24Hr)] = "symbol",
        [("GET", UsdmPaths.PremiumIndex)] = "symbol",
        [("GET", UsdmPaths.FundingRate)] = "symbol,startTime,endTime,limit",
        [("GET", UsdmPaths.AccountV2)] = "",
        [("GET", UsdmPaths.AccountV3)] = "",
        [("GET", UsdmPaths.BalanceV2)] = "",
        [("GET", UsdmPaths.BalanceV3)] = "",
        [("GET", UsdmPaths.PositionRiskV2)] = "symbol",
        [("GET", UsdmPaths.PositionRiskV3)] = "symbol",
        [("GET", UsdmPaths.OpenOrders)] = "symbol",
        [("GET", UsdmPaths.AllOrders)] = "symbol*,orderId,startTime,endTime,limit",
        [("GET", UsdmPaths.Order)] = "symbol*,orderId,origClientOrderId",
        [("GET", UsdmPaths.UserTrades)] = "symbol*,orderId,startTime,endTime,fromId,limit",
        [("GET", UsdmPaths.Income)] = "symbol,incomeType,startTime,endTime,page,limit",
        [("GET", UsdmPaths.CommissionRate)] = "symbol*",
        [("GET", UsdmPaths.LeverageBracket)] = "symbol",
        [("GET", UsdmPaths.PositionSideDual)] = "",
        [("GET", UsdmPaths.RateLimitOrder)] = "",
        [("GET", UsdmPaths.AlgoOrder)] = "algoId,clientAlgoId",
        [("GET", UsdmPaths.OpenAlgoOrders)] = "symbol,algoType",
        [("GET", UsdmPaths.AllAlgoOrders)] = "symbol*,algoId,startTime,endTime,page,limit",
        [("POST", UsdmPaths.Order)] = Order,
        [("PUT", UsdmPaths.Order)] = "symbol*,side*,orderId,origClientOrderId,quantity*,price*,priceMatch",
        [("DELETE", UsdmPaths.Order)] = "symbol*,orderId,origClientOrderId",
        [("POST", UsdmPaths.BatchOrders)] = "batchOrders*",
        [("DELETE", UsdmPaths.BatchOrders)] = "symbol*,orderIdList,origClientOrderIdList",
        [("DELETE", UsdmPaths.AllOpenOrders)] = "symbol*",
        [("POST", UsdmPaths.CountdownCancelAll)] = "symbol*,countdownTime*",
        [("POST", UsdmPaths.AlgoOrder)] = AlgoOrder,
        [("DELETE", UsdmPaths.AlgoOrder)] = "algoId,clientAlgoId",
        [("DELETE", UsdmPaths.AlgoOpenOrders)] = "symbol*",
        [("POST", UsdmPaths.Leverage)] = "symbol*,leverage*",
        [("POST", UsdmPaths.MarginType)] = "symbol*,marginType*",
        [("POST", UsdmPaths.PositionMargin)] = "symbol*,positionSide,amount*,type*",
        [("POST", UsdmPaths.PositionSideDual)] = "dualSidePosition*",
        [("POST", UsdmPaths.ListenKey)] = "",
        [("PUT", UsdmPaths.ListenKey)] = "listenKey",
        [("DELETE", UsdmPaths.ListenKey)] = "listenKey",
    }.ToFrozenDictionary(r => r.Key, r => Parse(r.Value));

    public static (FrozenSet<string> Allowed, string[] Required) For(string method, string path) =>
        Rules.TryGetValue((method, path), out var rule) ? rule : (FrozenSet<string>.Empty, []);

    public static (FrozenSet<string> Allowed, string[] Required) BatchElement { get; } = Parse(Order);

    public static bool Covers(string method, string path) => Rules.ContainsKey((method, path));

    private static (FrozenSet<string>, string[]) Parse(string spec)
    {
        var names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return (names.Select(n => n.TrimEnd('*')).ToFrozenSet(StringComparer.Ordinal), names.Where(n => n.EndsWith('*')).Select(n => n.TrimEnd('*')).ToArray());
    }
}
