using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// Step 11, the budget: the request's weight and order count against the bot's quota and the shared key's
/// budget, by priority (shared market data: only the bot's local request rate; see the cache step). A refusal is answered locally in the exchange's 429 / -1003 shape with Retry-After,
/// so the exchange itself never sees the excess. A cancel or reduce-only order the exchange rejects is charged to the
/// bot's quota afterwards: the exemption is for orders that really reduce risk, not a way around the quota.
/// </summary>
internal sealed class BudgetMiddleware(RequestDelegate next, ExchangeBudgets budgets, BotMarketDataRate marketDataRate, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        var intent = context.Features.Get<IntentFeature>()?.Intent ?? OrderIntent.Read;
        var priority = RequestPriorities.Of(endpoint, intent);
        var weight = request.WeightFor(endpoint);
        context.Features.Set(new RequestWeightFeature(weight));

        // Shared market data costs exchange weight only when it really goes upstream: the cache step charges that
        // call to the bot's quota and the shared budget; here only the bot's local request rate is checked.
        if (SharedMarketData.IsShared(endpoint))
        {
            if (marketDataRate.TryTake(bot.Name))
            {
                return next(context);
            }

            metrics.Denied(bot.Name, "rate");
            return ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests, TimeSpan.FromSeconds(1),
                $"Too many requests: bot '{bot.Name}' sent more than {marketDataRate.PerSecond} market-data requests this second (a gateway limit; nothing was sent to the exchange).");
        }

        // The in-process budget decides without waiting; only a shared (Redis) budget makes this step asynchronous.
        var charged = budgets.TryChargeAsync(bot.Mode, bot.Name, priority, weight, endpoint.OrderCount);
        if (!charged.IsCompletedSuccessfully)
        {
            return DecideAsync(context, bot, endpoint, priority, weight, charged);
        }

        var decision = charged.Result;
        return decision.Allowed && priority != RequestPriority.RiskReducing
            ? next(context)
            : DecideAsync(context, bot, endpoint, priority, weight, new ValueTask<BudgetDecision>(decision));
    }

    private async Task DecideAsync(HttpContext context, BotIdentity bot, UsdmEndpoint endpoint, RequestPriority priority, int weight, ValueTask<BudgetDecision> charged)
    {
        var decision = await charged.ConfigureAwait(false);
        if (decision.Allowed)
        {
            await next(context).ConfigureAwait(false);
            if (priority == RequestPriority.RiskReducing && context.Response.StatusCode is >= 400 and < 500 and not (429 or 418)
                && context.Features.Get<RefusalFeature>() is null)
            {
                budgets.ChargeBot(bot.Mode, bot.Name, weight, endpoint.OrderCount);
            }

            return;
        }

        if (decision.SharedStoreDown)
        {
            // No limit was reached: the replicas' shared budget cannot be checked, so an order that adds risk waits.
            metrics.Denied(bot.Name, "budget_unchecked");
            await ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Overloaded, decision.RetryAfter,
                $"Service unavailable: {decision.Reason}.").ConfigureAwait(false);
            return;
        }

        metrics.Denied(bot.Name, "budget");
        await ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests, decision.RetryAfter,
            $"Too many requests: {decision.Reason}.").ConfigureAwait(false);
    }
}
