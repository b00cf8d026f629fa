using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Resilience;

/// <summary>Step 7: while the route's breaker is open, answer at once with 503 and Retry-After instead of queueing on a failing exchange.</summary>
internal sealed class BreakerMiddleware(RequestDelegate next, UpstreamResilience resilience, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var routeClass = UpstreamResilience.ClassOf(context.Features.GetRequiredFeature<UsdmEndpoint>());
        var openFor = resilience.OpenFor(bot.Mode, routeClass);
        if (openFor <= TimeSpan.Zero)
        {
            return next(context);
        }

        metrics.Denied(bot.Name, "breaker_open");
        return ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected, openFor,
            $"The exchange is failing for {UpstreamResilience.ToName(routeClass)} requests; the gateway is not sending more for now.");
    }
}
