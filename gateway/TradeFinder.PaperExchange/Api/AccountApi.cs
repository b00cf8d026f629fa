using System.Globalization;
using System.Text.Json.Nodes;
using TradeFinder.Contracts.Exchange;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Security;
using TradeFinder.PaperExchange.Trading;

using static TradeFinder.PaperExchange.Protocol.ExchangeResults;

namespace TradeFinder.PaperExchange.Api;

/// <summary>Account reads and settings, user stream keys, and the key-restrictions check.</summary>
internal static class AccountApi
{
    public static void MapAccountApi(this RouteGroupBuilder fapi, IEndpointRouteBuilder root)
    {
        fapi.MapGet("/v2/account", (PaperVenue v) => v.Execute(ms => Json(v.AccountView(ms, v3: false)), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v3/account", (PaperVenue v) => v.Execute(ms => Json(v.AccountView(ms, v3: true)), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v2/balance", (PaperVenue v) => v.Execute(ms => Json(v.BalanceView(ms)), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v3/balance", (PaperVenue v) => v.Execute(ms => Json(v.BalanceView(ms)), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v2/positionRisk", (HttpContext c, PaperVenue v) => v.Execute(ms => Json(v.PositionRiskView(ms, v3: false, c.Params()["symbol"])), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v3/positionRisk", (HttpContext c, PaperVenue v) => v.Execute(ms => Json(v.PositionRiskView(ms, v3: true, c.Params()["symbol"])), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/userTrades", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(v.UserTrades(p.Required("symbol"), p.Long("startTime"), p.Long("endTime"), p.Long("fromId"), TradeApi.Limit(p, 500, 1000)).Select(RecordViews.TradeView));
        }, mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/income", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(v.Income(p["symbol"], p["incomeType"], p.Long("startTime"), p.Long("endTime"), TradeApi.Limit(p, 100, 1000)).Select(RecordViews.IncomeView));
        }, mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/commissionRate", (HttpContext c) => Json(new JsonObject
        {
            ["symbol"] = MarketApi.Symbol(c).Symbol,
            ["makerCommissionRate"] = MarginCalculator.MakerFeeRate.ToString(CultureInfo.InvariantCulture),
            ["takerCommissionRate"] = MarginCalculator.TakerFeeRate.ToString(CultureInfo.InvariantCulture),
            ["rpiCommissionRate"] = "0",
        })).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/leverageBracket", (HttpContext c) =>
            c.Params()["symbol"] is null ? Json(SymbolSpec.Listed.Select(Brackets)) : Json(Brackets(MarketApi.Symbol(c)))).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/rateLimit/order", (RateLimiter limiter) => Json(
        [
            new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "SECOND", ["intervalNum"] = 10, ["limit"] = limiter.Settings.OrdersPer10Seconds },
            new JsonObject { ["rateLimitType"] = "ORDERS", ["interval"] = "MINUTE", ["intervalNum"] = 1, ["limit"] = limiter.Settings.OrdersPerMinute },
        ])).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/positionSide/dual", (PaperVenue v) => v.Execute(_ => Json(new JsonObject { ["dualSidePosition"] = v.DualSidePosition }), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapPost("/v1/positionSide/dual", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            p.Required("dualSidePosition");
            v.SetDualSidePosition(p.Bool("dualSidePosition"));
            return Json(new JsonObject { ["code"] = 200, ["msg"] = "success" });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/leverage", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            var symbol = p.Required("symbol");
            var leverage = p.Long("leverage") ?? throw ExchangeException.Mandatory("leverage");
            var (set, max) = v.SetLeverage(symbol, (int)Math.Min(leverage, int.MaxValue));
            return Json(new JsonObject { ["leverage"] = set, ["maxNotionalValue"] = max.ToString(CultureInfo.InvariantCulture), ["symbol"] = symbol });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/marginType", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            var type = p.Enum<MarginType>("marginType", -1130, "Data sent for parameter 'marginType' is not valid.") ?? throw ExchangeException.Mandatory("marginType");
            v.SetMarginType(p.Required("symbol"), type);
            return Json(new JsonObject { ["code"] = 200, ["msg"] = "success" });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/positionMargin", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var p = c.Params();
            var amount = p.Decimal("amount") ?? throw ExchangeException.Mandatory("amount");
            var type = (int)(p.Long("type") ?? throw ExchangeException.Mandatory("type"));
            var side = p.Enum<PositionSide>("positionSide", -4060, "Invalid position side.");
            v.ModifyIsolatedMargin(p.Required("symbol"), side, amount, type, ms);
            return Json(new JsonObject { ["amount"] = amount, ["code"] = 200, ["msg"] = "Successfully modify position margin.", ["type"] = type });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/listenKey", (PaperVenue v) => v.Execute(ms => Json(new JsonObject { ["listenKey"] = v.CreateListenKey(ms) }))).WithSecurity(SecurityType.UserStream);
        fapi.MapPut("/v1/listenKey", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            v.KeepAliveListenKey(c.Params()["listenKey"], ms);
            return Json(new JsonObject());
        })).WithSecurity(SecurityType.UserStream);
        fapi.MapDelete("/v1/listenKey", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            v.CloseListenKey(c.Params()["listenKey"]);
            return Json(new JsonObject());
        })).WithSecurity(SecurityType.UserStream);

        // Served on the spot/SAPI host by the real exchange; here on the same listener so the gateway can check keys.
        root.MapGet("/sapi/v1/account/apiRestrictions", (HttpContext c, TimeProvider time) =>
        {
            var r = c.Credential().Restrictions;
            return Json(new JsonObject
            {
                ["ipRestrict"] = r.IpRestrict,
                ["createTime"] = time.GetUtcNow().AddDays(-30).ToUnixTimeMilliseconds(),
                ["enableReading"] = true,
                ["enableWithdrawals"] = r.EnableWithdrawals,
                ["enableInternalTransfer"] = r.EnableInternalTransfer,
                ["enableMargin"] = r.EnableMargin,
                ["enableFutures"] = r.EnableFutures,
                ["permitsUniversalTransfer"] = r.PermitsUniversalTransfer,
                ["enableVanillaOptions"] = r.EnableVanillaOptions,
                ["enableSpotAndMarginTrading"] = r.EnableSpotAndMarginTrading,
                ["enablePortfolioMarginTrading"] = false,
                ["enableFixApiTrade"] = false,
                ["enableFixReadOnly"] = false,
            });
        }).WithSecurity(SecurityType.UserData).AddEndpointFilter<ExchangeSecurityFilter>();
    }

    private static JsonObject Brackets(SymbolSpec spec) => new()
    {
        ["symbol"] = spec.Symbol,
        ["brackets"] = Wire.List(spec.Brackets.Select(b => new JsonObject
        {
            ["bracket"] = b.Bracket,
            ["initialLeverage"] = b.InitialLeverage,
            ["notionalCap"] = b.NotionalCap,
            ["notionalFloor"] = b.NotionalFloor,
            ["maintMarginRatio"] = b.MaintMarginRatio,
            ["cum"] = b.Cum,
        })),
    };
}
