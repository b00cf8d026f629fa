using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Records which orders a bot places, and gives every order without a client id one (each element of a batch
/// too), so an order whose outcome is unknown can always be found again.
/// </summary>
internal sealed class OrderLedgerMiddleware(RequestDelegate next, OrderLedger ledger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        if (endpoint.Method != "POST")
        {
            return next(context);
        }

        var bot = context.Features.GetRequiredFeature<BotIdentity>().Name;
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        switch (endpoint.Path)
        {
            case "/fapi/v1/order" or "/fapi/v1/algoOrder":
                var algo = endpoint.Path == "/fapi/v1/algoOrder";
                var name = algo ? "clientAlgoId" : "newClientOrderId";
                var clientId = request[name];
                if (clientId is null)
                {
                    clientId = OrderLedger.NewClientId();
                    context.Features.Set(new GatewayParameterFeature(name, clientId));
                }

                ledger.Record(bot, request["symbol"]!, clientId, algo);
                context.Features.Set(new PlacedOrdersFeature([(request["symbol"]!, clientId)], algo, Batch: false));
                break;
            case "/fapi/v1/batchOrders":
                var items = JsonNode.Parse(request["batchOrders"]!)!.AsArray();
                var assigned = false;
                var placed = new List<(string, string)>(items.Count);
                foreach (var item in items.Select(i => i!.AsObject()))
                {
                    if (item["newClientOrderId"] is null)
                    {
                        item["newClientOrderId"] = OrderLedger.NewClientId();
                        assigned = true;
                    }

                    placed.Add((Text(item["symbol"]), Text(item["newClientOrderId"])));
                    ledger.Record(bot, placed[^1].Item1, placed[^1].Item2, algo: false);
                }

                context.Features.Set(new PlacedOrdersFeature(placed, Algo: false, Batch: true));

                if (assigned)
                {
                    context.Features.Set(new GatewayParameterFeature("batchOrders", items.ToJsonString()));
                }

                break;
        }

        return next(context);
    }

    /// <summary>A batch element's value as the exchange reads it: a JSON string's text, or a number's digits.</summary>
    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "";
}
