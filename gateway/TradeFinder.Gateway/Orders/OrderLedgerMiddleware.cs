using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Step 13: records which orders a bot places, and gives every order without a client id one (each element of a batch
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
            case UsdmPaths.Order or UsdmPaths.AlgoOrder:
                var algo = endpoint.Path == UsdmPaths.AlgoOrder;
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
            case UsdmPaths.BatchOrders:
                var rewritten = request.Batch.WithClientIds(OrderLedger.NewClientId, out var placed);
                foreach (var (symbol, id) in placed)
                {
                    ledger.Record(bot, symbol, id, algo: false);
                }

                context.Features.Set(new PlacedOrdersFeature(placed, Algo: false, Batch: true));
                if (rewritten is not null)
                {
                    context.Features.Set(new GatewayParameterFeature(BatchOrders.ParameterName, rewritten));
                }

                break;
        }

        return next(context);
    }
}
