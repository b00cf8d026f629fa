using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Step 1 of the pipeline: maps the TLS client certificate (already chained to our CA by Kestrel) to a
/// registered, active bot. Unknown, suspended and revoked certificates get 401 and go no further; past a few a
/// second per certificate, their connection is closed unanswered (<see cref="RefusalThrottle"/>).
/// </summary>
internal sealed class BotAuthenticationMiddleware(
    RequestDelegate next, BotRegistry registry, BotPolicies policies, RefusalThrottle throttle, BotActivity activity, ILogger<BotAuthenticationMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var (bot, refusal) = Identify(context);
        if (bot is null)
        {
            return RefuseAsync(context, refusal!);
        }

        context.Features.Set(bot);
        activity.Seen(bot.Name);

        // Every log line below carries who, what and where (the audit step, outermost, put the request's log context in).
        context.Features.Get<RequestLogContext>()?.Identify(bot.Name, bot.Mode.ToConfigValue(), context.Request.Method, context.Request.Path.Value);
        return next(context);
    }

    private async Task RefuseAsync(HttpContext context, string refusal)
    {
        var source = context.Connection.ClientCertificate is { } certificate ? BotRegistry.Thumbprint(certificate) : "(none) " + Remote(context);
        var (answer, suppressedBefore) = throttle.Check(source);
        if (!answer)
        {
            context.Features.Set(new RefusalFeature(StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized, refusal) { Counted = true });
            context.Abort();
            return;
        }

        await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ExchangeErrorCodes.Unauthorized, refusal).ConfigureAwait(false);
        context.Features.Set(context.Features.GetRequiredFeature<RefusalFeature>() with { SuppressedBefore = suppressedBefore });
    }

    private (BotIdentity? Bot, string? Refusal) Identify(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            IdentityLog.CertificateRefused(logger, "no client certificate", Remote(context));
            return (null, "A client certificate is required.");
        }

        var (bot, globalState) = registry.Lookup(certificate);
        if (bot is null)
        {
            IdentityLog.CertificateRefused(logger, "certificate not registered", Remote(context));
            return (null, "This client certificate is not registered with the gateway.");
        }

        if (bot.Status != BotStatus.Active)
        {
            IdentityLog.BotRefused(logger, bot.Name, bot.Status.ToString());
            return (null, $"Bot '{bot.Name}' is {bot.Status.ToString().ToUpperInvariant()}.");
        }

        return (policies.Resolve(bot, globalState), null);
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "?";
}
