namespace TradeFinder.Contracts.Exchange;

/// <summary>The USDⓈ-M REST paths, named once (Binance "USDⓈ-M Futures" API documentation).</summary>
public static class UsdmPaths
{
    /// <summary><c>/fapi/v1/ping</c>.</summary>
    public const string Ping = "/fapi/v1/ping";

    /// <summary><c>/fapi/v1/time</c>.</summary>
    public const string Time = "/fapi/v1/time";

    /// <summary><c>/fapi/v1/exchangeInfo</c>.</summary>
    public const string ExchangeInfo = "/fapi/v1/exchangeInfo";

    /// <summary><c>/fapi/v1/depth</c>.</summary>
    public const string Depth = "/fapi/v1/depth";

    /// <summary><c>/fapi/v1/trades</c>.</summary>
    public const string Trades = "/fapi/v1/trades";

    /// <summary><c>/fapi/v1/klines</c>.</summary>
    public const string Klines = "/fapi/v1/klines";

    /// <summary><c>/fapi/v1/ticker/price</c>.</summary>
    public const string TickerPrice = "/fapi/v1/ticker/price";

    /// <summary><c>/fapi/v2/ticker/price</c>.</summary>
    public const string TickerPriceV2 = "/fapi/v2/ticker/price";

    /// <summary><c>/fapi/v1/ticker/24hr</c>.</summary>
    public const string Ticker24Hr = "/fapi/v1/ticker/24hr";

    /// <summary><c>/fapi/v1/premiumIndex</c>.</summary>
    public const string PremiumIndex = "/fapi/v1/premiumIndex";

    /// <summary><c>/fapi/v1/fundingRate</c>.</summary>
    public const string FundingRate = "/fapi/v1/fundingRate";

    /// <summary><c>/fapi/v2/account</c>.</summary>
    public const string AccountV2 = "/fapi/v2/account";

    /// <summary><c>/fapi/v3/account</c>.</summary>
    public const string AccountV3 = "/fapi/v3/account";

    /// <summary><c>/fapi/v2/balance</c>.</summary>
    public const string BalanceV2 = "/fapi/v2/balance";

    /// <summary><c>/fapi/v3/balance</c>.</summary>
    public const string BalanceV3 = "/fapi/v3/balance";

    /// <summary><c>/fapi/v2/positionRisk</c>.</summary>
    public const string PositionRiskV2 = "/fapi/v2/positionRisk";

    /// <summary><c>/fapi/v3/positionRisk</c>.</summary>
    public const string PositionRiskV3 = "/fapi/v3/positionRisk";

    /// <summary><c>/fapi/v1/openOrders</c>.</summary>
    public const string OpenOrders = "/fapi/v1/openOrders";

    /// <summary><c>/fapi/v1/allOrders</c>.</summary>
    public const string AllOrders = "/fapi/v1/allOrders";

    /// <summary><c>/fapi/v1/order</c>.</summary>
    public const string Order = "/fapi/v1/order";

    /// <summary><c>/fapi/v1/userTrades</c>.</summary>
    public const string UserTrades = "/fapi/v1/userTrades";

    /// <summary><c>/fapi/v1/income</c>.</summary>
    public const string Income = "/fapi/v1/income";

    /// <summary><c>/fapi/v1/commissionRate</c>.</summary>
    public const string CommissionRate = "/fapi/v1/commissionRate";

    /// <summary><c>/fapi/v1/leverageBracket</c>.</summary>
    public const string LeverageBracket = "/fapi/v1/leverageBracket";

    /// <summary><c>/fapi/v1/positionSide/dual</c>.</summary>
    public const string PositionSideDual = "/fapi/v1/positionSide/dual";

    /// <summary><c>/fapi/v1/rateLimit/order</c>.</summary>
    public const string RateLimitOrder = "/fapi/v1/rateLimit/order";

    /// <summary><c>/fapi/v1/algoOrder</c>.</summary>
    public const string AlgoOrder = "/fapi/v1/algoOrder";

    /// <summary><c>/fapi/v1/openAlgoOrders</c>.</summary>
    public const string OpenAlgoOrders = "/fapi/v1/openAlgoOrders";

    /// <summary><c>/fapi/v1/allAlgoOrders</c>.</summary>
    public const string AllAlgoOrders = "/fapi/v1/allAlgoOrders";

    /// <summary><c>/fapi/v1/batchOrders</c>.</summary>
    public const string BatchOrders = "/fapi/v1/batchOrders";

    /// <summary><c>/fapi/v1/allOpenOrders</c>.</summary>
    public const string AllOpenOrders = "/fapi/v1/allOpenOrders";

    /// <summary><c>/fapi/v1/countdownCancelAll</c>.</summary>
    public const string CountdownCancelAll = "/fapi/v1/countdownCancelAll";

    /// <summary><c>/fapi/v1/algoOpenOrders</c>.</summary>
    public const string AlgoOpenOrders = "/fapi/v1/algoOpenOrders";

    /// <summary><c>/fapi/v1/leverage</c>.</summary>
    public const string Leverage = "/fapi/v1/leverage";

    /// <summary><c>/fapi/v1/marginType</c>.</summary>
    public const string MarginType = "/fapi/v1/marginType";

    /// <summary><c>/fapi/v1/positionMargin</c>.</summary>
    public const string PositionMargin = "/fapi/v1/positionMargin";

    /// <summary><c>/fapi/v1/listenKey</c>.</summary>
    public const string ListenKey = "/fapi/v1/listenKey";

    /// <summary><c>/fapi/v1/ticker/bookTicker</c>.</summary>
    public const string BookTicker = "/fapi/v1/ticker/bookTicker";

    /// <summary><c>/sapi/v1/account/apiRestrictions</c> on the spot API host: what a key may do (the key-restrictions check).</summary>
    public const string ApiRestrictions = "/sapi/v1/account/apiRestrictions";
}
