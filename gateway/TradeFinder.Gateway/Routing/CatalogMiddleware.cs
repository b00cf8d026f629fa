using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Routing;

/// <summary>Step 2: the request must be a catalogued endpoint (deny by default); the entry travels with it.</summary>
internal sealed class CatalogMiddleware(RequestDelegate next, ILogger<CatalogMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var entry = UsdmEndpoints.Find(context.Request.Method, path);
        if (entry is null)
        {
            var bot = context.Features.Get<BotIdentity>()?.Name ?? "?";
            GatewayLog.RequestRefused(logger, bot, context.Request.Method, path, "not in catalog");
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, -5000,
                $"Path {path}, Method {context.Request.Method} is invalid");
        }

        context.Features.Set(entry);
        return next(context);
    }
}
