using System.Net;
using System.Text.Json.Nodes;
using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Api;

/// <summary>
/// Test and operator controls under <c>/paper/control</c>: faults, pinned prices, account reset. Loopback
/// callers only; the gateway never forwards these paths (they are not exchange endpoints).
/// </summary>
internal static class ControlApi
{
    public static void MapControlApi(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/paper/control").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                ? await next(context).ConfigureAwait(false)
                : TypedResults.StatusCode(StatusCodes.Status403Forbidden));

        control.MapGet("/faults", (FaultInjector faults) => TypedResults.Json(faults.Rules, PaperJson.Default.IReadOnlyListFaultRule));
        control.MapPost("/faults", (FaultRule rule, FaultInjector faults) =>
        {
            faults.Add(rule);
            return TypedResults.Json(faults.Rules, PaperJson.Default.IReadOnlyListFaultRule);
        });
        control.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });
        control.MapPost("/price", (PricePin pin, MarketData market, PaperVenue venue) =>
        {
            var spec = SymbolSpec.Find(pin.Symbol);
            if (spec is null || pin.Price <= 0)
            {
                return ExchangeResults.Error(-1121, "Invalid symbol or price.");
            }

            // Settle everything due at the old price before the new one applies.
            venue.Tick();
            market.Prices.Pin(spec.Symbol, spec.RoundToTick(pin.Price));
            venue.SettleNow();
            return ExchangeResults.Json(new JsonObject { ["symbol"] = spec.Symbol, ["price"] = Wire.Price(spec, market.Last(spec)) });
        });
        control.MapDelete("/price/{symbol}", (string symbol, MarketData market) =>
        {
            market.Prices.Unpin(symbol);
            return TypedResults.NoContent();
        });
        control.MapPost("/listenKeys/expire", (PaperVenue venue) =>
        {
            venue.ExpireListenKeys();
            return TypedResults.NoContent();
        });
        control.MapPost("/userData/drop", (PaperVenue venue) =>
        {
            venue.DropUserDataConnections();
            return TypedResults.NoContent();
        });
        // An order placed on the account by another client of the same key (the web UI, a leaked key): it carries no
        // gateway tag, as the exchange's own UI orders ("web_…") do not.
        control.MapPost("/externalOrder", (HttpContext c, PaperVenue venue) => venue.Execute(ms =>
        {
            var query = c.Request.Query;
            var order = venue.PlaceOrder(OrderRequest.Parse(new Params(n => n == "newClientOrderId" ? "web_" + Guid.NewGuid().ToString("N")[..16] : (string?)query[n])), ms);
            return ExchangeResults.Json(new JsonObject { ["orderId"] = order.OrderId, ["clientOrderId"] = order.ClientOrderId });
        }));
        // A balance movement that is not trading, as a withdrawal with the key or a transfer by someone would make.
        control.MapPost("/transfer", (decimal amount, string? reason, PaperVenue venue) =>
        {
            venue.Transfer(amount, reason ?? (amount < 0 ? "WITHDRAW" : "DEPOSIT"));
            return TypedResults.NoContent();
        });
        control.MapPost("/reset", (PaperVenue venue) =>
        {
            venue.Reset();
            return ExchangeResults.Json(new JsonObject { ["reset"] = true });
        });
    }

    internal sealed record PricePin(string Symbol, decimal Price);
}
