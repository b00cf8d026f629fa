using System.Collections.Frozen;

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
        [("GET", "/fapi/v1/ping")] = "",
        [("GET", "/fapi/v1/time")] = "",
        [("GET", "/fapi/v1/exchangeInfo")] = "",
        [("GET", "/fapi/v1/depth")] = "symbol*,limit",
        [("GET", "/fapi/v1/trades")] = "symbol*,limit",
        [("GET", "/fapi/v1/klines")] = "symbol*,interval*,startTime,endTime,limit",
        [("GET", "/fapi/v1/ticker/price")] = "symbol",
        [("GET", "/fapi/v2/ticker/price")] = "symbol",
        [("GET", "/fapi/v1/ticker/24hr")] = "symbol",
        [("GET", "/fapi/v1/premiumIndex")] = "symbol",
        [("GET", "/fapi/v1/fundingRate")] = "symbol,startTime,endTime,limit",
        [("GET", "/fapi/v2/account")] = "",
        [("GET", "/fapi/v3/account")] = "",
        [("GET", "/fapi/v2/balance")] = "",
        [("GET", "/fapi/v3/balance")] = "",
        [("GET", "/fapi/v2/positionRisk")] = "symbol",
        [("GET", "/fapi/v3/positionRisk")] = "symbol",
        [("GET", "/fapi/v1/openOrders")] = "symbol",
        [("GET", "/fapi/v1/allOrders")] = "symbol*,orderId,startTime,endTime,limit",
        [("GET", "/fapi/v1/order")] = "symbol*,orderId,origClientOrderId",
        [("GET", "/fapi/v1/userTrades")] = "symbol*,orderId,startTime,endTime,fromId,limit",
        [("GET", "/fapi/v1/income")] = "symbol,incomeType,startTime,endTime,page,limit",
        [("GET", "/fapi/v1/commissionRate")] = "symbol*",
        [("GET", "/fapi/v1/leverageBracket")] = "symbol",
        [("GET", "/fapi/v1/positionSide/dual")] = "",
        [("GET", "/fapi/v1/rateLimit/order")] = "",
        [("GET", "/fapi/v1/algoOrder")] = "algoId,clientAlgoId",
        [("GET", "/fapi/v1/openAlgoOrders")] = "symbol,algoType",
        [("GET", "/fapi/v1/allAlgoOrders")] = "symbol*,algoId,startTime,endTime,page,limit",
        [("POST", "/fapi/v1/order")] = Order,
        [("PUT", "/fapi/v1/order")] = "symbol*,side*,orderId,origClientOrderId,quantity*,price*,priceMatch",
        [("DELETE", "/fapi/v1/order")] = "symbol*,orderId,origClientOrderId",
        [("POST", "/fapi/v1/batchOrders")] = "batchOrders*",
        [("DELETE", "/fapi/v1/batchOrders")] = "symbol*,orderIdList,origClientOrderIdList",
        [("DELETE", "/fapi/v1/allOpenOrders")] = "symbol*",
        [("POST", "/fapi/v1/countdownCancelAll")] = "symbol*,countdownTime*",
        [("POST", "/fapi/v1/algoOrder")] = AlgoOrder,
        [("DELETE", "/fapi/v1/algoOrder")] = "algoId,clientAlgoId",
        [("DELETE", "/fapi/v1/algoOpenOrders")] = "symbol*",
        [("POST", "/fapi/v1/leverage")] = "symbol*,leverage*",
        [("POST", "/fapi/v1/marginType")] = "symbol*,marginType*",
        [("POST", "/fapi/v1/positionMargin")] = "symbol*,positionSide,amount*,type*",
        [("POST", "/fapi/v1/positionSide/dual")] = "dualSidePosition*",
        [("POST", "/fapi/v1/listenKey")] = "",
        [("PUT", "/fapi/v1/listenKey")] = "listenKey",
        [("DELETE", "/fapi/v1/listenKey")] = "listenKey",
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
