using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Budgets;

/// <summary>Step 6: while the bot's upstream is backing off, answer locally in the exchange's 429 / -1003 shape with Retry-After.</summary>
internal sealed class BackoffMiddleware(RequestDelegate next, UpstreamBackoff backoff, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var remaining = backoff.Remaining(bot.Mode);
        if (remaining <= TimeSpan.Zero)
        {
            return next(context);
        }

        metrics.Denied(bot.Name, "backoff");
        return ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests, remaining,
            "Too many requests; the exchange asked this gateway to back off.");
    }
}
