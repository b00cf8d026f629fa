using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Validation;

/// <summary>Step 8: parameters must pass <see cref="RequestValidator"/> for the bot's upstream.</summary>
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
        var status = failure.Code switch
        {
            ExchangeErrorCodes.Disconnected => StatusCodes.Status503ServiceUnavailable,
            ExchangeErrorCodes.Unauthorized => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        return ExchangeErrorResponses.WriteAsync(context, status, failure.Code, failure.Message);
    }
}
