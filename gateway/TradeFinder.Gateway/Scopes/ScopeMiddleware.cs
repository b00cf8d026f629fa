using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Scopes;

/// <summary>
/// Step 5: the bot must hold the endpoint's scope, and its trading state (or the gateway's) must allow what
/// the request would do: HALTED lets only cancels through, REDUCING only cancels and risk-reducing orders.
/// </summary>
internal sealed class ScopeMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        if (!bot.Scopes.Contains(endpoint.Scope))
        {
            metrics.Denied(bot.Name, "scope");
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.Unauthorized,
                $"Bot '{bot.Name}' lacks scope '{endpoint.Scope}' for {endpoint.Method} {endpoint.Path}.");
        }

        var intent = OrderIntents.Of(endpoint, request);
        context.Features.Set(new IntentFeature(intent));
        var blocked = (bot.State, intent) switch
        {
            (TradingState.Halted, OrderIntent.Reduce or OrderIntent.Increase or OrderIntent.AccountChange) => "HALTED: only cancels are accepted",
            (TradingState.Reducing, OrderIntent.Increase or OrderIntent.AccountChange) => "REDUCING: only cancels and reduce-only orders are accepted",
            _ => null,
        };
        if (blocked is not null)
        {
            metrics.Denied(bot.Name, "trading_state");
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.NewOrderRejected, $"Trading for bot '{bot.Name}' is {blocked}.");
        }

        return next(context);
    }
}
