using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Exchange;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Security;
using TradeFinder.PaperExchange.Trading;

using static TradeFinder.PaperExchange.Protocol.ExchangeResults;

namespace TradeFinder.PaperExchange.Api;

/// <summary>Orders, algo orders and cancels (security TRADE / USER_DATA).</summary>
internal static class TradeApi
{
    private const int MaxBatch = 5;

    public static void MapTradeApi(this RouteGroupBuilder fapi)
    {
        fapi.MapPost("/v1/order", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var request = OrderRequest.Parse(c.Params());
            var order = v.PlaceOrder(request, ms);
            return Json(request.ResultResponse ? RecordViews.OrderView(order) : RecordViews.OrderAck(order, ms));
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/order/test", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            v.PlaceOrder(OrderRequest.Parse(c.Params()), ms, testOnly: true);
            return Json(new JsonObject());
        }, mutates: false)).WithSecurity(SecurityType.Trade);
        fapi.MapPut("/v1/order", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var p = c.Params();
            var side = p.Enum<OrderSide>("side", -1117, "Invalid side.") ?? throw ExchangeException.Mandatory("side");
            return Json(RecordViews.OrderView(v.ModifyOrder(p.Required("symbol"), p.Long("orderId"), p["origClientOrderId"], side,
                p.Decimal("quantity") ?? throw ExchangeException.Mandatory("quantity"), p.Decimal("price") ?? throw ExchangeException.Mandatory("price"), ms)));
        })).WithSecurity(SecurityType.Trade);
        fapi.MapGet("/v1/order", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(RecordViews.OrderView(v.QueryOrder(p.Required("symbol"), p.Long("orderId"), p["origClientOrderId"]), includeTime: true));
        }, mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapDelete("/v1/order", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var p = c.Params();
            return Json(RecordViews.OrderView(v.CancelOrder(p.Required("symbol"), p.Long("orderId"), p["origClientOrderId"], ms)));
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/batchOrders", (HttpContext c, PaperVenue v) => v.Execute(ms => Json(PlaceBatch(c.Params(), v, ms)))).WithSecurity(SecurityType.Trade);
        fapi.MapDelete("/v1/batchOrders", (HttpContext c, PaperVenue v) => v.Execute(ms => Json(CancelBatch(c.Params(), v, ms)))).WithSecurity(SecurityType.Trade);
        fapi.MapDelete("/v1/allOpenOrders", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            v.CancelAllOpen(c.Params().Required("symbol"), ms);
            return Json(new JsonObject { ["code"] = 200, ["msg"] = "The operation of cancel all open order is done." });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapPost("/v1/countdownCancelAll", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var p = c.Params();
            var symbol = p.Required("symbol");
            var countdown = p.Long("countdownTime") ?? throw ExchangeException.Mandatory("countdownTime");
            return Json(new JsonObject { ["symbol"] = symbol, ["countdownTime"] = v.SetCountdown(symbol, countdown, ms).ToString(CultureInfo.InvariantCulture) });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapGet("/v1/openOrders", (HttpContext c, PaperVenue v) => v.Execute(_ =>
            Json(v.OpenOrders(c.Params()["symbol"]).Select(o => RecordViews.OrderView(o, includeTime: true))), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/allOrders", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(v.AllOrders(p.Required("symbol"), p.Long("orderId"), p.Long("startTime"), p.Long("endTime"), Limit(p, 500, 1000))
                .Select(o => RecordViews.OrderView(o, includeTime: true)));
        }, mutates: false)).WithSecurity(SecurityType.UserData);

        fapi.MapPost("/v1/algoOrder", (HttpContext c, PaperVenue v) => v.Execute(ms =>
            Json(RecordViews.AlgoView(v.PlaceAlgo(AlgoRequest.Parse(c.Params()), ms))))).WithSecurity(SecurityType.Trade);
        fapi.MapDelete("/v1/algoOrder", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            var p = c.Params();
            var algo = v.CancelAlgo(p.Long("algoId"), p["clientAlgoId"], ms);
            return Json(new JsonObject { ["algoId"] = algo.AlgoId, ["clientAlgoId"] = algo.ClientAlgoId, ["code"] = "200", ["msg"] = "success" });
        })).WithSecurity(SecurityType.Trade);
        fapi.MapGet("/v1/algoOrder", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(RecordViews.AlgoView(v.QueryAlgo(p.Long("algoId"), p["clientAlgoId"])));
        }, mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/openAlgoOrders", (HttpContext c, PaperVenue v) => v.Execute(_ =>
            Json(v.OpenAlgos(c.Params()["symbol"]).Select(RecordViews.AlgoView)), mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapGet("/v1/allAlgoOrders", (HttpContext c, PaperVenue v) => v.Execute(_ =>
        {
            var p = c.Params();
            return Json(v.AllAlgos(p.Required("symbol"), p.Long("startTime"), p.Long("endTime"), Limit(p, 500, 1000)).Select(RecordViews.AlgoView));
        }, mutates: false)).WithSecurity(SecurityType.UserData);
        fapi.MapDelete("/v1/algoOpenOrders", (HttpContext c, PaperVenue v) => v.Execute(ms =>
        {
            v.CancelAllAlgos(c.Params().Required("symbol"), ms);
            return Json(new JsonObject { ["code"] = 200, ["msg"] = "The operation of cancel all open order is done." });
        })).WithSecurity(SecurityType.Trade);
    }

    internal static int Limit(Params p, int fallback, int max)
    {
        var limit = p.Long("limit") ?? fallback;
        return limit < 1 || limit > max ? throw new ExchangeException(-1130, "Data sent for parameter 'limit' is not valid.") : (int)limit;
    }

    /// <summary>Each element is placed on its own; the answer lists orders or errors in request order.</summary>
    private static JsonNode[] PlaceBatch(Params p, PaperVenue venue, long ms)
    {
        var raw = p.Required("batchOrders");
        JsonElement[] items;
        try
        {
            items = JsonSerializer.Deserialize(raw, PaperJson.Default.JsonElementArray) ?? [];
        }
        catch (JsonException)
        {
            throw ExchangeException.Mandatory("batchOrders");
        }

        if (items.Length is 0 or > MaxBatch)
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'batchOrders' is not valid.");
        }

        var results = new JsonNode[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            try
            {
                var request = OrderRequest.Parse(new Params(name => item.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null));
                var order = venue.PlaceOrder(request, ms);
                results[i] = request.ResultResponse ? RecordViews.OrderView(order) : RecordViews.OrderAck(order, ms);
            }
            catch (ExchangeException ex)
            {
                results[i] = new JsonObject { ["code"] = ex.Code, ["msg"] = ex.Message };
            }
        }

        return results;
    }

    private static JsonNode[] CancelBatch(Params p, PaperVenue venue, long ms)
    {
        var symbol = p.Required("symbol");
        var ids = Parse(p["orderIdList"], ContractsJson.Default.Int64Array);
        var clientIds = Parse(p["origClientOrderIdList"], ContractsJson.Default.StringArray);
        if (ids is null && clientIds is null)
        {
            throw new ExchangeException(-1102, "Mandatory parameter 'orderIdList' was not sent, was empty/null, or malformed.");
        }

        var targets = ids is not null ? ids.Select(id => ((long?)id, (string?)null)) : clientIds!.Select(id => ((long?)null, (string?)id));
        return [.. targets.Take(10).Select(t =>
        {
            try
            {
                return RecordViews.OrderView(venue.CancelOrder(symbol, t.Item1, t.Item2, ms));
            }
            catch (ExchangeException ex)
            {
                return new JsonObject { ["code"] = ex.Code, ["msg"] = ex.Message };
            }
        })];
    }

    private static T? Parse<T>(string? json, JsonTypeInfo<T> type)
        where T : class
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'orderIdList' is not valid.");
        }
    }
}
