using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.MarketData;

/// <summary>Step 13: serves shared public market data through <see cref="MarketDataCache"/>; everything else goes on to YARP.</summary>
internal sealed class MarketDataCacheMiddleware(RequestDelegate next, MarketDataCache cache)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        return SharedMarketData.IsShared(endpoint) ? AnswerAsync(context, endpoint) : next(context);
    }

    private async Task AnswerAsync(HttpContext context, UsdmEndpoint endpoint)
    {
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var weight = context.Features.Get<RequestWeightFeature>()?.Weight ?? request.WeightFor(endpoint);
        var answer = await cache.GetAsync(bot.Mode, endpoint, request.RawQuery, weight, bot.Name).ConfigureAwait(false);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
