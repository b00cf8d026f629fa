using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Risk;

/// <summary>
/// Step 10: the bot's risk limits, on the bot's own exposure on the shared account. Every order is reserved in the
/// ownership ledger in the same step as its check (<see cref="OwnershipLedger.TryReserve"/>): the elements of a
/// batch are summed, parallel orders see each other, open and in-flight orders count toward the position cap.
/// Reduce-only orders pass any limit but must fit inside the position the bot itself holds, so they can neither
/// close another bot's position nor borrow the cancel reserve. The leverage the exchange will apply (an account
/// setting) is checked at order time, and a bot may not set leverage or margin type another bot on the account is
/// restricted from. Look-ups are cached, charged to the bot, and never made for a bot over its quota.
/// </summary>
internal sealed class RiskGuardMiddleware(
    RequestDelegate next, RiskLookups lookups, OwnershipLedger ledger, OwnCancels own, SharedAccounts accounts, GatewayMetrics metrics)
{
    private const int MaxSettleLookups = 10;

    public Task InvokeAsync(HttpContext context)
    {
        var intent = context.Features.GetRequiredFeature<IntentFeature>().Intent;
        var drafts = context.Features.Get<OwnedOrdersFeature>()?.Orders;
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        return drafts is null && intent is not (OrderIntent.Increase or OrderIntent.AccountChange) && endpoint is not { Method: "PUT", Path: UsdmPaths.Order }
            ? next(context)
            : GuardAsync(context, intent, drafts, endpoint);
    }

    private async Task GuardAsync(HttpContext context, OrderIntent intent, IReadOnlyList<OwnedOrder>? drafts, UsdmEndpoint endpoint)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        string? refusal;
        try
        {
            refusal = await CheckAsync(context, bot, intent, endpoint, request, drafts ?? []).ConfigureAwait(false);
        }
        catch (Exception ex) when (LookupFailures.Handles(ex, context))
        {
            // Limits that cannot be checked are not passed.
            await LookupFailures.WriteAsync(context, ex, metrics, bot.Name, "risk", "Risk limits").ConfigureAwait(false);
            return;
        }

        if (refusal is not null)
        {
            metrics.Denied(bot.Name, "risk");
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.NewOrderRejected, $"Risk limit for bot '{bot.Name}': {refusal}").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
        if (context.Response.StatusCode is < 200 or >= 300)
        {
            return;
        }

        if (intent == OrderIntent.AccountChange)
        {
            if (request["symbol"] is { } changed)
            {
                lookups.SettingsChanged(bot.Account, changed);
            }

            metrics.SettingChanged(bot.Name, endpoint.Path, request["symbol"], request["leverage"] ?? request["marginType"] ?? request["dualSidePosition"] ?? request["multiAssetsMargin"]);
        }

        foreach (var draft in (drafts ?? []).Where(d => !d.Reducing))
        {
            metrics.Accepted(bot.Name, draft.Symbol, draft.OrigQty);
        }
    }

    private async Task<string?> CheckAsync(HttpContext context, BotIdentity bot, OrderIntent intent, UsdmEndpoint endpoint, GatewayRequest request, IReadOnlyList<OwnedOrder> drafts)
    {
        var limits = bot.Limits;
        var cancellationToken = context.RequestAborted;
        var addsRisk = intent is OrderIntent.Increase or OrderIntent.AccountChange;
        Func<string, string?>[] orders = endpoint.Path == UsdmPaths.BatchOrders ? [.. request.Batch.Orders.Select(o => (Func<string, string?>)o.Get)] : [request.Get];
        foreach (var order in orders)
        {
            var symbol = order("symbol");
            if (addsRisk && symbol is not null && !accounts.MayTrade(bot, symbol))
            {
                return accounts.ExclusiveOwner(bot.Account, symbol) is { } owner && owner != bot.Name
                    ? $"symbol {symbol} is reserved for another bot on this account."
                    : $"symbol {symbol} is not allowed.";
            }

            var type = order("type");
            if (addsRisk && type is not null && limits.AllowedOrderTypes is { } types && !types.Contains(type))
            {
                return $"order type {type} is not allowed.";
            }

            // closePosition closes the whole account position, every bot's share of it: only for a bot no other bot
            // on the account shares the symbol with (exclusive to it, or nobody else may trade it).
            if (symbol is not null && ReducingOrders.IsClosePosition(order) && accounts.OthersTrading(bot, symbol).FirstOrDefault() is { } other)
            {
                return $"closePosition would also close bot '{other.Name}''s position on {symbol} (one account); send a reduce-only order for this bot's quantity, or make {symbol} exclusive to this bot.";
            }
        }

        if (intent == OrderIntent.AccountChange)
        {
            return CheckAccountChange(bot, endpoint, request);
        }

        if (endpoint is { Method: "PUT", Path: UsdmPaths.Order })
        {
            return await CheckAmendAsync(context, bot, request, cancellationToken).ConfigureAwait(false);
        }

        if (drafts.Count == 0)
        {
            return null;
        }

        var marks = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            // Each symbol once, at its first order that adds risk.
            var symbol = drafts[i].Symbol;
            if (drafts[i].Reducing || FirstRiskyBefore(drafts, i, symbol))
            {
                continue;
            }

            if (limits.MaxOrderNotional is not null || limits.MaxPositionNotional is not null)
            {
                marks[symbol] = await lookups.MarkPriceAsync(bot, symbol, cancellationToken).ConfigureAwait(false);
            }

            if (limits.MaxLeverage is not null || limits.RequiredMarginType is not null)
            {
                var (leverage, marginType) = await lookups.SettingsAsync(bot, symbol, cancellationToken).ConfigureAwait(false);
                if (limits.MaxLeverage is { } maxLeverage && leverage > maxLeverage)
                {
                    return $"the account's leverage on {symbol} is {leverage}x, above this bot's {maxLeverage}x; set it to {maxLeverage} or less first.";
                }

                if (limits.RequiredMarginType is { } required && marginType != required)
                {
                    return $"{symbol} must be traded with {required} margin.";
                }
            }

            if (limits.MaxOpenOrders is not null)
            {
                await RefreshAsync(bot, symbol, fresh: false, cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            if (!draft.Reducing && limits.MaxOrderNotional is { } maxOrder)
            {
                var order = orders[Math.Min(i, orders.Length - 1)];
                var price = order("type") == "LIMIT" && order("price") is { } p
                    ? decimal.Parse(p, CultureInfo.InvariantCulture)
                    : marks[draft.Symbol];
                if (draft.OrigQty * price > maxOrder)
                {
                    return $"order notional {draft.OrigQty * price:0.##} exceeds {maxOrder}.";
                }
            }
        }

        string? Reserve() => ledger.TryReserve(drafts, exposure => CheckExposure(limits, exposure, marks.GetValueOrDefault(exposure.Symbol)));
        var refusal = Reserve();
        if (refusal is null || !drafts.Any(d => d.Reducing))
        {
            return refusal;
        }

        // The bot's position is known from its orders' answers; an order that filled after it was answered (a resting
        // order, a MARKET order's ACK) has not told yet. Bring the bot's orders up to date once and check again.
        foreach (var symbol in drafts.Where(d => d.Reducing).Select(d => d.Symbol).Distinct())
        {
            await RefreshAsync(bot, symbol, fresh: true, cancellationToken).ConfigureAwait(false);
        }

        return Reserve();
    }

    /// <summary>
    /// Updates the bot's orders on the symbol from the exchange's open-order list (what each has executed), and looks up
    /// the ones held as open that the list no longer shows (filled, cancelled or expired without the gateway seeing it).
    /// </summary>
    private async Task RefreshAsync(BotIdentity bot, string symbol, bool fresh, CancellationToken cancellationToken)
    {
        // Only answered orders are held as open (in-flight ones are not), so each is at the exchange already.
        var held = ledger.OpenOrders(bot.Name, bot.Account, symbol, algo: false);
        if (held.Count == 0)
        {
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in await lookups.OpenOrdersAsync(bot, symbol, fresh, cancellationToken).ConfigureAwait(false))
        {
            ledger.Observe(bot.Account, order);
            if (order.TryGetProperty("clientOrderId", out var id) && id.GetString() is { } clientId)
            {
                listed.Add(clientId);
            }
        }

        foreach (var order in held.Where(o => !listed.Contains(o.ClientId)).Take(MaxSettleLookups))
        {
            await own.SettleAsync(order, bot.Name, cancellationToken).ConfigureAwait(false);
        }

    }

    private static bool FirstRiskyBefore(IReadOnlyList<OwnedOrder> drafts, int i, string symbol)
    {
        for (var j = 0; j < i; j++)
        {
            if (!drafts[j].Reducing && drafts[j].Symbol == symbol)
            {
                return true;
            }
        }

        return false;
    }

    private static string? CheckExposure(RiskLimits limits, SymbolExposure exposure, decimal mark)
    {
        if (exposure.Reduces && !exposure.ReducingFits)
        {
            return $"reduce-only orders on {exposure.Symbol} would close more than this bot's own position ({exposure.Filled:0.########}); "
                + "other bots' positions on the shared account are theirs to close.";
        }

        if (!exposure.AddsRisk)
        {
            return null;
        }

        if (limits.MaxPositionNotional is { } maxPosition && exposure.WorstCase * mark > maxPosition)
        {
            return $"position notional on {exposure.Symbol} could reach {exposure.WorstCase * mark:0.##} with this bot's open and in-flight orders, above {maxPosition}.";
        }

        if (limits.MaxOpenOrders is { } maxOpen && exposure.OpenOrders > maxOpen)
        {
            return $"{exposure.OpenOrders - 1} orders of this bot already open or in flight on {exposure.Symbol} (limit {maxOpen}).";
        }

        return null;
    }

    private string? CheckAccountChange(BotIdentity bot, UsdmEndpoint endpoint, GatewayRequest request)
    {
        var limits = bot.Limits;
        var symbol = request["symbol"];
        switch (endpoint.Path)
        {
            case UsdmPaths.Leverage:
                var leverage = int.Parse(request["leverage"]!, CultureInfo.InvariantCulture);
                if (limits.MaxLeverage is { } max && leverage > max)
                {
                    return $"leverage above {max} is not allowed.";
                }

                // Leverage is the account's, per symbol: raising it would raise it for every bot trading the symbol.
                if (accounts.OthersTrading(bot, symbol!).FirstOrDefault(b => b.Limits.MaxLeverage < leverage) is { } restricted)
                {
                    return $"leverage on {symbol} is shared with bot '{restricted.Name}' on this account, which may use at most {restricted.Limits.MaxLeverage}x.";
                }

                return null;
            case UsdmPaths.MarginType:
                var marginType = request["marginType"];
                if (limits.RequiredMarginType is { } required && marginType != required)
                {
                    return $"margin type must stay {required}.";
                }

                if (accounts.OthersTrading(bot, symbol!).FirstOrDefault(b => b.Limits.RequiredMarginType is { } other && other != marginType) is { } bound)
                {
                    return $"margin type on {symbol} is shared with bot '{bound.Name}' on this account, which must trade it {bound.Limits.RequiredMarginType}.";
                }

                return null;
            case UsdmPaths.PositionSideDual:
                var dual = bool.Parse(request["dualSidePosition"]!);
                if (limits.RequiredDualSidePosition is { } mode && dual != mode)
                {
                    return $"position mode must stay {(mode ? "hedge" : "one-way")}.";
                }

                return accounts.On(bot.Account).FirstOrDefault(b => b.Name != bot.Name && b.Limits.RequiredDualSidePosition is { } other && other != dual) is { } peer
                    ? $"position mode is the account's; bot '{peer.Name}' on this account requires {(dual ? "one-way" : "hedge")} mode."
                    : null;
            case UsdmPaths.PositionMargin when symbol is not null && !accounts.MayTrade(bot, symbol):
                return $"symbol {symbol} is not allowed.";
            default:
                return null;
        }
    }

    /// <summary>An amendment may not grow the order past the bot's limits; it is checked on the order's new size.</summary>
    private async Task<string?> CheckAmendAsync(HttpContext context, BotIdentity bot, GatewayRequest request, CancellationToken cancellationToken)
    {
        var limits = bot.Limits;
        var symbol = request["symbol"]!;
        var quantity = decimal.Parse(request["quantity"]!, CultureInfo.InvariantCulture);
        var price = decimal.Parse(request["price"]!, CultureInfo.InvariantCulture);
        if (limits.MaxOrderNotional is { } maxOrder && quantity * price > maxOrder)
        {
            return $"order notional {quantity * price:0.##} exceeds {maxOrder}.";
        }

        // The ownership step has resolved the order to the exchange's id; an unknown one changes nothing here.
        var clientId = context.Features.Get<GatewayParameterFeature>()?.Values.FirstOrDefault(v => v.Name == "origClientOrderId").Value
            ?? (request["orderId"] is { } id ? ledger.FindByOrderId(bot.Account, long.Parse(id, CultureInfo.InvariantCulture), algo: false)?.ClientId : null);
        if (clientId is null)
        {
            return null;
        }

        var mark = limits.MaxPositionNotional is null ? 0m : await lookups.MarkPriceAsync(bot, symbol, cancellationToken).ConfigureAwait(false);
        return ledger.TryAmend(bot.Account, clientId, quantity, exposure => CheckExposure(limits, exposure with { OpenOrders = 0 }, mark));
    }
}
