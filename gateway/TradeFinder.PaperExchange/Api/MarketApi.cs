using System.Text.Json.Nodes;
using TradeFinder.Contracts.Exchange;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Security;
using TradeFinder.PaperExchange.Trading;

using static TradeFinder.PaperExchange.Protocol.ExchangeResults;

namespace TradeFinder.PaperExchange.Api;

/// <summary>Public market data (security NONE).</summary>
internal static class MarketApi
{
    public static void MapMarketApi(this RouteGroupBuilder fapi)
    {
        fapi.MapGet("/v1/ping", () => Json(new JsonObject())).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/time", (TimeProvider time) => Json(new JsonObject { ["serverTime"] = time.GetUtcNow().ToUnixTimeMilliseconds() })).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/exchangeInfo", (TimeProvider time, Limits.RateLimiter limiter) => Json(ExchangeInfoDocument.Build(time.GetUtcNow().ToUnixTimeMilliseconds(), limiter.Settings))).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/depth", (HttpContext c, MarketData m) => Json(m.Depth(Symbol(c), c.Params()["limit"]))).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/trades", (HttpContext c, MarketData m) => Json(m.Trades(Symbol(c), c.Params()["limit"]))).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/klines", (HttpContext c, MarketData m) =>
        {
            var p = c.Params();
            return Json(m.Klines(Symbol(c), p.Required("interval"), p["startTime"], p["endTime"], p["limit"]));
        }).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/ticker/price", (HttpContext c, MarketData m) => PerSymbol(c, m.Ticker)).WithSecurity(SecurityType.None);
        fapi.MapGet("/v2/ticker/price", (HttpContext c, MarketData m) => PerSymbol(c, m.Ticker)).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/ticker/24hr", (HttpContext c, MarketData m) => PerSymbol(c, m.Ticker24h)).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/premiumIndex", (HttpContext c, MarketData m) => PerSymbol(c, m.PremiumIndex)).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/fundingRate", (HttpContext c, MarketData m) =>
        {
            var p = c.Params();
            var specs = p["symbol"] is null ? SymbolSpec.Listed : [Symbol(c)];
            return Json(specs.SelectMany(s => m.FundingHistory(s, p["startTime"], p["endTime"], p["limit"])));
        }).WithSecurity(SecurityType.None);
    }

    public static SymbolSpec Symbol(HttpContext context) =>
        SymbolSpec.Find(context.Params().Required("symbol")) ?? throw new ExchangeException(-1121, "Invalid symbol.");

    private static JsonNodeResult PerSymbol(HttpContext context, Func<SymbolSpec, JsonObject> view) =>
        context.Params()["symbol"] is null ? Json(SymbolSpec.Listed.Select(view)) : Json(view(Symbol(context)));
}
