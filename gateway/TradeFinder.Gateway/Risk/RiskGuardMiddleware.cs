using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Risk;

/// <summary>
/// Step 9: the bot's risk limits. Only requests that add risk or change account settings are checked;
/// cancels and reduce-only orders always pass, so a bot can get out of a position its limits no longer allow.
/// Limits that need the account's state (position, open orders, margin type, mark price) ask the upstream.
/// </summary>
internal sealed class RiskGuardMiddleware(RequestDelegate next, UpstreamQueries upstream, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var intent = context.Features.GetRequiredFeature<IntentFeature>().Intent;
        if (intent is OrderIntent.Increase or OrderIntent.AccountChange)
        {
            var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
            var request = context.Features.GetRequiredFeature<GatewayRequest>();
            string? refusal;
            try
            {
                refusal = await CheckAsync(bot, endpoint, request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // Limits that cannot be checked are not passed: fail closed.
                metrics.Denied(bot.Name, "risk_unavailable");
                await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
                    "Risk limits could not be checked (upstream unavailable); the order was not sent.").ConfigureAwait(false);
                return;
            }

            if (refusal is not null)
            {
                metrics.Denied(bot.Name, "risk");
                await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.NewOrderRejected, $"Risk limit for bot '{bot.Name}': {refusal}").ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task<string?> CheckAsync(BotIdentity bot, UsdmEndpoint endpoint, GatewayRequest request, CancellationToken cancellationToken)
    {
        var limits = bot.Limits;
        Func<string, string?>[] orders = endpoint.Path == UsdmPaths.BatchOrders ? [.. request.Batch.Orders.Select(o => (Func<string, string?>)o.Get)] : [request.Get];
        foreach (var order in orders)
        {
            var symbol = order("symbol");
            if (symbol is not null && limits.AllowedSymbols is { } symbols && !symbols.Contains(symbol))
            {
                return $"symbol {symbol} is not allowed.";
            }

            var type = order("type");
            if (type is not null && limits.AllowedOrderTypes is { } types && !types.Contains(type))
            {
                return $"order type {type} is not allowed.";
            }
        }

        switch (endpoint.Path)
        {
            case UsdmPaths.Leverage when limits.MaxLeverage is { } max && int.Parse(request["leverage"]!, CultureInfo.InvariantCulture) > max:
                return $"leverage above {max} is not allowed.";
            case UsdmPaths.MarginType when limits.RequiredMarginType is { } required && request["marginType"] != required:
                return $"margin type must stay {required}.";
            case UsdmPaths.PositionSideDual when limits.RequiredDualSidePosition is { } dual && bool.Parse(request["dualSidePosition"]!) != dual:
                return $"position mode must stay {(dual ? "hedge" : "one-way")}.";
        }

        if (endpoint.Scope != ScopeNames.Trade)
        {
            return null;
        }

        foreach (var order in orders)
        {
            if (await CheckOrderAsync(bot, order, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private async Task<string?> CheckOrderAsync(BotIdentity bot, Func<string, string?> order, CancellationToken cancellationToken)
    {
        var limits = bot.Limits;
        var symbol = order("symbol")!;
        var quantity = order("quantity") is { } q ? decimal.Parse(q, CultureInfo.InvariantCulture) : 0m;
        var needsMark = limits.MaxOrderNotional is not null || limits.MaxPositionNotional is not null;
        var mark = needsMark ? await MarkPriceAsync(bot, symbol, cancellationToken).ConfigureAwait(false) : 0m;
        var price = order("type") == "LIMIT" && order("price") is { } p ? decimal.Parse(p, CultureInfo.InvariantCulture) : mark;
        var notional = quantity * price;
        if (limits.MaxOrderNotional is { } maxOrder && notional > maxOrder)
        {
            return $"order notional {notional:0.##} exceeds {maxOrder}.";
        }

        if (limits.MaxPositionNotional is not null || limits.RequiredMarginType is not null)
        {
            var risk = await upstream.SendAsync(bot.Mode, HttpMethod.Get, UsdmPaths.PositionRiskV2, "symbol=" + symbol, cancellationToken).ConfigureAwait(false);
            var entries = risk.ValueKind == JsonValueKind.Array ? risk.EnumerateArray().ToArray() : [];
            if (limits.RequiredMarginType is { } required && entries.FirstOrDefault() is { ValueKind: JsonValueKind.Object } first
                && !string.Equals(first.GetProperty("marginType").GetString() == "isolated" ? "ISOLATED" : "CROSSED", required, StringComparison.Ordinal))
            {
                return $"{symbol} must be traded with {required} margin.";
            }

            if (limits.MaxPositionNotional is { } maxPosition)
            {
                var current = entries.Sum(e => Math.Abs(decimal.Parse(e.GetProperty("positionAmt").GetString()!, CultureInfo.InvariantCulture)));
                if ((current + quantity) * mark > maxPosition)
                {
                    return $"position notional would reach {(current + quantity) * mark:0.##}, above {maxPosition}.";
                }
            }
        }

        if (limits.MaxOpenOrders is { } maxOpen)
        {
            var open = await upstream.SendAsync(bot.Mode, HttpMethod.Get, UsdmPaths.OpenOrders, "symbol=" + symbol, cancellationToken).ConfigureAwait(false);
            if (open.ValueKind == JsonValueKind.Array && open.GetArrayLength() >= maxOpen)
            {
                return $"{open.GetArrayLength()} orders already open on {symbol} (limit {maxOpen}).";
            }
        }

        return null;
    }

    private async Task<decimal> MarkPriceAsync(BotIdentity bot, string symbol, CancellationToken cancellationToken)
    {
        var premium = await upstream.SendAsync(bot.Mode, HttpMethod.Get, UsdmPaths.PremiumIndex, "symbol=" + symbol, cancellationToken).ConfigureAwait(false);
        return decimal.Parse(premium.GetProperty("markPrice").GetString()!, CultureInfo.InvariantCulture);
    }
}
