using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Step 14, no duplicate orders: an order POST (plain, conditional or batch) is never sent twice. When its outcome is
/// unknown — the call timed out, the connection dropped, or the exchange answered 5xx, -1007 (execution status
/// unknown) or -1008 — the gateway looks each order up by its client order id (every order has one; the ledger
/// assigns it when the bot did not) and tells the bot what really happened: the order as the exchange holds
/// it, or that it was not placed and may safely be sent again. A batch gets the exchange's batch shape: one
/// element per order, in request order, each the order or a <c>{"code":..,"msg":..}</c>.
/// </summary>
internal sealed class OrderOutcomeMiddleware(
    RequestDelegate next, UpstreamQueries queries, OwnershipLedger ledger, OwnedViews views, TimeProvider time, ILogger<OrderOutcomeMiddleware> logger)
{
    private static readonly TimeSpan[] LookupDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)];

    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<PlacedOrdersFeature>() is { } placed ? PlaceAsync(context, placed) : next(context);

    private async Task PlaceAsync(HttpContext context, PlacedOrdersFeature placed)
    {
        var order = new OrderInFlightFeature();
        context.Features.Set(order);
        await next(context).ConfigureAwait(false);

        var forwarderError = context.GetForwarderErrorFeature();
        if (context.Response.HasStarted || (forwarderError is null && order.Uncertain is null))
        {
            return;
        }

        var cause = order.Uncertain is { } u ? $"HTTP {u.Status}{(u.Code is { } c ? " code " + c : "")}" : "no answer: " + forwarderError!.Error;
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var outcomes = await Task.WhenAll(placed.Orders.Select(o => LookUpAsync(bot.Account, o.Symbol, o.ClientOrderId, placed.Algo, context.RequestAborted))).ConfigureAwait(false);
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var drafts = context.Features.Get<OwnedOrdersFeature>()?.Orders;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Found is true)
            {
                // The ledger learns the order from the look-up, and the bot sees its own id.
                outcomes[i] = (true, System.Text.Encoding.UTF8.GetString(views.Rewrite(bot, endpoint.Path == UsdmPaths.BatchOrders ? SingleOrder(placed.Algo) : endpoint,
                    System.Text.Encoding.UTF8.GetBytes(outcomes[i].Body!)).Body));
            }
            else if (outcomes[i].Found is false && drafts is not null && i < drafts.Count)
            {
                ledger.Release(drafts[i]);
            }
        }

        // This answer replaces the forwarder's error: nothing outside may write a second one.
        context.Features.Set<IForwarderErrorFeature?>(null);
        context.Response.Clear();
        context.Response.Headers["X-TradeFinder-Order-Lookup"] = string.Join(',', outcomes.Select(o => o.Found switch { true => "found", false => "not-found", _ => "failed" }));
        for (var i = 0; i < outcomes.Length; i++)
        {
            OrdersLog.OrderOutcomeResolved(logger, bot.Name, placed.Orders[i].BotClientId, cause, outcomes[i].Found switch { true => "placed", false => "not placed", _ => "unknown" });
        }

        if (placed.Batch)
        {
            var elements = placed.Orders.Select((o, i) => outcomes[i].Found is true
                ? outcomes[i].Body!
                : JsonSerializer.Serialize(Unsettled(o.BotClientId, cause, outcomes[i].Found), ContractsJson.Default.ExchangeError));
            await WriteJsonAsync(context, "[" + string.Join(',', elements) + "]").ConfigureAwait(false);
            return;
        }

        var (found, body) = outcomes[0];
        if (found is true)
        {
            await WriteJsonAsync(context, body!).ConfigureAwait(false);
            return;
        }

        var error = Unsettled(placed.Orders[0].BotClientId, cause, found);
        await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, error.Code, error.Message).ConfigureAwait(false);
    }

    private static UsdmEndpoint SingleOrder(bool algo) => UsdmEndpoints.Find("GET", algo ? UsdmPaths.AlgoOrder : UsdmPaths.Order)!;

    private static ExchangeError Unsettled(string clientOrderId, string cause, bool? found) => found is false
        ? new(ExchangeErrorCodes.Disconnected, $"Order {clientOrderId} was not placed ({cause}; confirmed by looking it up). It is safe to send it again.")
        : new(ExchangeErrorCodes.UnknownExecutionStatus, $"Execution status of order {clientOrderId} is unknown ({cause}) and the lookup failed; query origClientOrderId={clientOrderId} before sending it again.");

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>True with the order's JSON when the exchange has it; false when it says there is no such order; null when it cannot tell.</summary>
    private async Task<(bool? Found, string? Body)> LookUpAsync(ExchangeAccount account, string symbol, string clientOrderId, bool algoOrder, CancellationToken cancellationToken)
    {
        var (path, query, idField) = algoOrder
            ? (UsdmPaths.AlgoOrder, $"clientAlgoId={Uri.EscapeDataString(clientOrderId)}", "algoId")
            : (UsdmPaths.Order, $"symbol={Uri.EscapeDataString(symbol)}&origClientOrderId={Uri.EscapeDataString(clientOrderId)}", "orderId");
        bool? found = null;
        foreach (var delay in LookupDelays)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            try
            {
                var json = await queries.SendAsync(account, null, HttpMethod.Get, path, query, cancellationToken).ConfigureAwait(false);
                if (json.TryGetProperty(idField, out _))
                {
                    return (true, json.GetRawText());
                }

                // "Order does not exist" may only mean the matching engine has not got to it yet: ask again.
                found = ExchangeErrorResponses.ErrorCode(json) == ExchangeErrorCodes.NoSuchOrder ? false : found;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                found = null;
            }
        }

        return (found, null);
    }
}
