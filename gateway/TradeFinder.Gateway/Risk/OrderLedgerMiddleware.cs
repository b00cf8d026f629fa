using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Validation;

namespace TradeFinder.Gateway.Risk;

/// <summary>A parameter the gateway adds to the forwarded request (before signing).</summary>
internal sealed record ExtraParameterFeature(string Name, string Value);

/// <summary>Records which orders a bot places; gives orders without a client id one, so every order can be found again.</summary>
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
                    context.Features.Set(new ExtraParameterFeature(name, clientId));
                }

                ledger.Record(bot, request["symbol"]!, clientId, algo);
                break;
            case "/fapi/v1/batchOrders":
                foreach (var item in JsonSerializer.Deserialize<Dictionary<string, JsonElement>[]>(request["batchOrders"]!) ?? [])
                {
                    if (item.TryGetValue("newClientOrderId", out var id) && item.TryGetValue("symbol", out var symbol))
                    {
                        ledger.Record(bot, symbol.GetString()!, id.GetString()!, algo: false);
                    }
                }

                break;
        }

        return next(context);
    }
}
