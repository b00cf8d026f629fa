using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Admin;

/// <summary>
/// Admin port: the certificate (an admin one, checked in the handshake) must belong to an active, registered admin.
/// A revoked or unknown admin certificate gets a few answers a second, like a bot's (<see cref="RefusalThrottle"/>).
/// </summary>
internal sealed class AdminAuthenticationMiddleware(RequestDelegate next, AdminRegistry admins, RefusalThrottle throttle)
{
    public Task InvokeAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        var admin = certificate is null ? null : admins.FindByCertificate(certificate);
        if (admin is null || admin.Status != BotStatus.Active)
        {
            if (!throttle.Check("admin " + (certificate is null ? "(none)" : BotRegistry.Thumbprint(certificate))).Answer)
            {
                context.Abort();
                return Task.CompletedTask;
            }

            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized,
                "This client certificate is not an active admin of this gateway.");
        }

        context.Features.Set(new AdminIdentity(admin.Name));
        return next(context);
    }
}
