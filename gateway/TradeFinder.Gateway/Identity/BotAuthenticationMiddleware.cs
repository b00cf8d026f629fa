using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Hosting;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Step 1 of the pipeline: maps the TLS client certificate (already chained to our CA by Kestrel) to a
/// registered, active bot. Unknown, suspended and revoked certificates get 401 and go no further.
/// </summary>
internal sealed class BotAuthenticationMiddleware(RequestDelegate next, BotRegistry registry, ILogger<BotAuthenticationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return Refuse(context, "no client certificate", "A client certificate is required.");
        }

        var bot = registry.FindByCertificate(certificate);
        if (bot is null)
        {
            return Refuse(context, "certificate not registered", "This client certificate is not registered with the gateway.");
        }

        if (bot.Status != BotStatus.Active)
        {
            GatewayLog.BotRefused(logger, bot.Name, bot.Status.ToString());
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized,
                $"Bot '{bot.Name}' is {bot.Status.ToString().ToUpperInvariant()}.");
        }

        context.Features.Set(new BotIdentity(bot.Name, bot.Mode));
        return next(context);
    }

    private Task Refuse(HttpContext context, string reason, string message)
    {
        GatewayLog.CertificateRefused(logger, reason, context.Connection.RemoteIpAddress?.ToString() ?? "?");
        return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized, message);
    }
}
