using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Admin;

/// <summary>Admin port: the certificate (an admin one, checked in the handshake) must belong to an active, registered admin.</summary>
internal sealed class AdminAuthenticationMiddleware(RequestDelegate next, AdminRegistry admins)
{
    public Task InvokeAsync(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        var admin = certificate is null ? null : admins.FindByCertificate(certificate);
        if (admin is null || admin.Status != BotStatus.Active)
        {
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized,
                "This client certificate is not an active admin of this gateway.");
        }

        context.Features.Set(new AdminIdentity(admin.Name));
        return next(context);
    }
}
