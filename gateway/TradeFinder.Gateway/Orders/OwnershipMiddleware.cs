using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Step 9, ownership: a bot touches only its own orders on the shared account. New orders get an exchange client id
/// that names the bot (the bot's own id carried inside, or mapped); orders referred to by client id are translated
/// to the bot's exchange ids, so another bot's id cannot even be expressed; orders referred to by the exchange's id
/// must be the bot's (ledger, or a look-up of the order's tag) or the bot hears "Order does not exist." — the
/// same as for an order that really does not exist, so other bots' orders cannot be probed. Account-wide cancels
/// become "cancel this bot's open orders": the gateway cancels them one by one within the cancel reserve.
/// </summary>
internal sealed class OwnershipMiddleware(RequestDelegate next, OwnershipLedger ledger, OwnershipStore store, OwnCancels own, GatewayMetrics metrics)
{
    // A ledger of its own (not shared by replicas): the changes a request makes are written after its answer.
    private readonly bool _holdWakes = store.SharedSource is null;

    /// <summary>What this step does with a request, by its endpoint alone.</summary>
    private enum Handling
    {
        None,
        Place,
        CancelOwn,
        ResolveList,
        ResolveOne,
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var handling = HandlingOf(endpoint);
        // A request naming no order is passed on without an async step of its own.
        return handling == Handling.None ? next(context) : CheckAsync(context, endpoint, handling);
    }

    private static Handling HandlingOf(UsdmEndpoint endpoint) => (endpoint.Method, endpoint.Path) switch
    {
        ("POST", UsdmPaths.Order or UsdmPaths.AlgoOrder or UsdmPaths.BatchOrders) => Handling.Place,
        ("DELETE", UsdmPaths.AllOpenOrders or UsdmPaths.AlgoOpenOrders) => Handling.CancelOwn,
        ("DELETE", UsdmPaths.BatchOrders) => Handling.ResolveList,
        (_, UsdmPaths.Order or UsdmPaths.AlgoOrder) => Handling.ResolveOne,
        _ => Handling.None,
    };

    private async Task CheckAsync(HttpContext context, UsdmEndpoint endpoint, Handling handling)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        using var hold = _holdWakes ? ledger.HoldWakes() : null;
        string? refusal;
        try
        {
            switch (handling)
            {
                case Handling.Place:
                    await PlaceAsync(context, bot, endpoint, request).ConfigureAwait(false);
                    return;
                case Handling.CancelOwn:
                    await CancelOwnAsync(context, bot, request["symbol"]!, algo: endpoint.Path == UsdmPaths.AlgoOpenOrders).ConfigureAwait(false);
                    return;
                case Handling.ResolveList:
                    refusal = await ResolveListAsync(context, bot, request).ConfigureAwait(false);
                    break;
                default:
                    refusal = await ResolveOneAsync(context, bot, request, algo: endpoint.Path == UsdmPaths.AlgoOrder).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (LookupFailures.Handles(ex, context))
        {
            // Ownership that cannot be established is not assumed.
            await LookupFailures.WriteAsync(context, ex, metrics, bot.Name, "ownership", "Order ownership").ConfigureAwait(false);
            return;
        }

        if (refusal is not null)
        {
            metrics.Denied(bot.Name, "ownership");
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.NoSuchOrder, refusal).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task PlaceAsync(HttpContext context, BotIdentity bot, UsdmEndpoint endpoint, GatewayRequest request)
    {
        var tag = ClientIds.Tag(bot.Name);
        var parameters = GatewayParameterFeature.Of(context);
        List<OwnedOrder> drafts;
        if (endpoint.Path == UsdmPaths.BatchOrders)
        {
            drafts = [.. request.Batch.Orders.Select(o => Draft(bot, tag, o.Get, BatchOrders.ClientOrderIdName, algo: false))];
            parameters.Set(BatchOrders.ParameterName, request.Batch.WithClientIds(i => drafts[i].ClientId));
        }
        else
        {
            var algo = endpoint.Path == UsdmPaths.AlgoOrder;
            var name = algo ? "clientAlgoId" : "newClientOrderId";
            drafts = [Draft(bot, tag, request.Get, name, algo)];
            parameters.Set(name, drafts[0].ClientId);
        }

        var placed = new PlacedOrdersFeature([.. drafts.Select(d => (d.Symbol, d.ClientId, d.BotClientId))], drafts[0].Algo, endpoint.Path == UsdmPaths.BatchOrders);
        context.Features.Set(placed);
        context.Features.Set(new OwnedOrdersFeature(drafts));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Settle(context, drafts);
        }
    }

    /// <summary>
    /// Orders still in flight once the request is done: never sent (refused further on, or the exchange
    /// definitely rejected them) are forgotten; sent with an outcome nobody could tell are kept, counted as open.
    /// </summary>
    private void Settle(HttpContext context, List<OwnedOrder> drafts)
    {
        var unanswered = context.GetForwarderErrorFeature() is not null || context.Response.StatusCode is >= 200 and < 300
            || context.Features.Get<OrderInFlightFeature>()?.Uncertain is not null;
        foreach (var draft in drafts.Where(d => d.State == OwnedOrderState.InFlight))
        {
            if (unanswered)
            {
                ledger.MarkUnknown(draft);
            }
            else
            {
                ledger.Release(draft);
            }
        }
    }

    private static OwnedOrder Draft(BotIdentity bot, string tag, Func<string, string?> p, string idName, bool algo)
    {
        var botId = p(idName) ?? ClientIds.NewBotId();
        return new OwnedOrder
        {
            Bot = bot.Name,
            Account = bot.Account,
            Symbol = OrderStrings.Of(p("symbol") ?? ""),
            ClientId = ClientIds.Direct(tag, botId) ?? ClientIds.Mapped(tag),
            BotClientId = botId,
            Algo = algo,
            Side = OrderStrings.Of(p("side") ?? "BUY"),
            PositionSide = OrderStrings.Of(p("positionSide") ?? "BOTH"),
            Reducing = ReducingOrders.IsReducing(p),
            OrigQty = decimal.TryParse(p("quantity"), NumberStyles.Number, CultureInfo.InvariantCulture, out var q) ? q : 0,
        };
    }

    private async Task<string?> ResolveOneAsync(HttpContext context, BotIdentity bot, GatewayRequest request, bool algo)
    {
        var (idName, numberName) = algo ? ("clientAlgoId", "algoId") : ("origClientOrderId", "orderId");
        if (request[idName] is { } botId)
        {
            if (ledger.ExchangeIdOf(bot.Name, bot.Account, botId, algo) is not { } exchangeId)
            {
                return "Order does not exist.";
            }

            GatewayParameterFeature.Of(context).Set(idName, exchangeId);
        }

        if (request[numberName] is { } number
            && !await own.IsOwnedAsync(bot, request["symbol"], long.Parse(number, CultureInfo.InvariantCulture), algo, context.RequestAborted).ConfigureAwait(false))
        {
            return "Order does not exist.";
        }

        return null;
    }

    private async Task<string?> ResolveListAsync(HttpContext context, BotIdentity bot, GatewayRequest request)
    {
        if (request["origClientOrderIdList"] is { } clientIds)
        {
            var translated = new List<string>();
            foreach (var (botId, i) in (JsonSerializer.Deserialize(clientIds, ContractsJson.Default.StringArray) ?? []).Select((id, i) => (id, i)))
            {
                if (ledger.ExchangeIdOf(bot.Name, bot.Account, botId, algo: false) is not { } exchangeId)
                {
                    return $"Order does not exist (origClientOrderIdList[{i}]); nothing was cancelled.";
                }

                translated.Add(exchangeId);
            }

            GatewayParameterFeature.Of(context).Set("origClientOrderIdList", JsonSerializer.Serialize(translated, ContractsJson.Default.IEnumerableString));
        }

        if (request["orderIdList"] is { } orderIds)
        {
            foreach (var (id, i) in (JsonSerializer.Deserialize(orderIds, ContractsJson.Default.Int64Array) ?? []).Select((id, i) => (id, i)))
            {
                if (!await own.IsOwnedAsync(bot, request["symbol"], id, algo: false, context.RequestAborted).ConfigureAwait(false))
                {
                    return $"Order does not exist (orderIdList[{i}]); nothing was cancelled.";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// An account-wide cancel from one bot cancels that bot's open orders on the symbol and no other bot's: one
    /// cancel per order, each within the cancel reserve. Answers in the exchange's shape when all are done.
    /// </summary>
    private async Task CancelOwnAsync(HttpContext context, BotIdentity bot, string symbol, bool algo)
    {
        var orders = ledger.OpenOrders(bot.Name, bot.Account, symbol, algo);
        var (canceled, failed) = await own.CancelAsync(orders, bot.Name, context.RequestAborted).ConfigureAwait(false);
        if (failed.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsJsonAsync(new ExchangeError(200, "The operation of cancel all open order is done."), ContractsJson.Default.ExchangeError, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return;
        }

        metrics.Denied(bot.Name, "cancel_incomplete");
        await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
            $"Cancelled {canceled} of this bot's open orders on {symbol}; {failed.Count} could not be cancelled ({failed[0].Error}): "
            + string.Join(",", failed.Select(f => f.Order.BotClientId)) + ". Send the cancel again.").ConfigureAwait(false);
    }
}
