using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Validation;

/// <summary>Reads the bot's parameters once (query and form body) so later steps see the same decoded values.</summary>
internal sealed class RequestReadMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Features.Set(await GatewayRequest.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false));
        await next(context).ConfigureAwait(false);
    }
}

/// <summary>Step 3: parameters must pass <see cref="RequestValidator"/> for the bot's upstream.</summary>
internal sealed class ValidationMiddleware(RequestDelegate next, ExchangeRules rules, GatewayMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var failure = RequestValidator.Validate(endpoint.Method, endpoint.Path, context.Features.GetRequiredFeature<GatewayRequest>(), bot.Mode, rules);
        if (failure is null)
        {
            return next(context);
        }

        metrics.Denied(bot.Name, "validation");
        var status = failure.Code == -1001 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
        return ExchangeErrorResponses.WriteAsync(context, status, failure.Code, failure.Message);
    }
}
