using System.Globalization;
using System.Text.Json.Nodes;

namespace TradeFinder.PaperExchange.Market;

/// <summary>Builds the <c>GET /fapi/v1/exchangeInfo</c> body (Binance USDⓈ-M Futures API response examples), filters included.</summary>
internal static class ExchangeInfoDocument
{
    /// <summary>The body, with <c>rateLimits</c> reporting the limits this simulator enforces.</summary>
    public static JsonObject Build(long serverTime, Limits.RateLimitSettings? limits = null) => Document(serverTime, limits ?? new Limits.RateLimitSettings());

    private static JsonObject Document(long serverTime, Limits.RateLimitSettings limits) => new()
    {
        ["timezone"] = "UTC",
        ["serverTime"] = serverTime,
        ["futuresType"] = "U_MARGINED",
        ["rateLimits"] = new JsonArray(new JsonObject { ["rateLimitType"] = "REQUEST_WEIGHT", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = limits.WeightPerMinute },
            new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = limits.OrdersPerMinute },
            new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "SECOND", ["intervalNum"] = 10, ["limit"] = limits.OrdersPer10Seconds }),
        ["exchangeFilters"] = new JsonArray(),
        ["assets"] = new JsonArray(new JsonObject { ["asset"] = "USDT", ["marginAvailable"] = true, ["autoAssetExchange"] = "-10000" }),
        ["symbols"] = Wire.List(SymbolSpec.Listed.Select(Symbol)),
    };

    private static JsonObject Symbol(SymbolSpec s) => new()
    {
        ["symbol"] = s.Symbol,
        ["pair"] = s.Symbol,
        ["contractType"] = "PERPETUAL",
        ["deliveryDate"] = 4133404800000L,
        ["onboardDate"] = 1569398400000L,
        ["status"] = "TRADING",
        ["maintMarginPercent"] = "2.5000",
        ["requiredMarginPercent"] = "5.0000",
        ["baseAsset"] = s.BaseAsset,
        ["quoteAsset"] = "USDT",
        ["marginAsset"] = "USDT",
        ["pricePrecision"] = s.PricePrecision,
        ["quantityPrecision"] = s.QuantityPrecision,
        ["baseAssetPrecision"] = 8,
        ["quotePrecision"] = 8,
        ["underlyingType"] = "COIN",
        ["underlyingSubType"] = new JsonArray("PoW"),
        ["settlePlan"] = 0,
        ["triggerProtect"] = D(SymbolSpec.TriggerProtect),
        ["liquidationFee"] = D(SymbolSpec.LiquidationFeeRate),
        ["marketTakeBound"] = D(SymbolSpec.MarketTakeBound),
        ["maxMoveOrderLimit"] = 10000,
        ["filters"] = new JsonArray(new JsonObject { ["filterType"] = "PRICE_FILTER", ["minPrice"] = D(s.MinPrice), ["maxPrice"] = D(s.MaxPrice), ["tickSize"] = D(s.TickSize) },
            new JsonObject { ["filterType"] = "LOT_SIZE", ["minQty"] = D(s.MinQty), ["maxQty"] = D(s.MaxQty), ["stepSize"] = D(s.StepSize) },
            new JsonObject { ["filterType"] = "MARKET_LOT_SIZE", ["minQty"] = D(s.MinQty), ["maxQty"] = D(s.MarketMaxQty), ["stepSize"] = D(s.StepSize) },
            new JsonObject { ["filterType"] = "MAX_NUM_ORDERS", ["limit"] = SymbolSpec.MaxNumOrders },
            new JsonObject { ["filterType"] = "MIN_NOTIONAL", ["notional"] = D(s.MinNotional) },
            new JsonObject
            {
                ["filterType"] = "PERCENT_PRICE",
                ["multiplierUp"] = D(SymbolSpec.MultiplierUp),
                ["multiplierDown"] = D(SymbolSpec.MultiplierDown),
                ["multiplierDecimal"] = "4",
            }),
        ["orderTypes"] = new JsonArray("LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"),
        ["timeInForce"] = new JsonArray("GTC", "IOC", "FOK", "GTX", "GTD"),
    };

    private static string D(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
