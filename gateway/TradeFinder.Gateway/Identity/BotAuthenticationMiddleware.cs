using System.Security.Cryptography.X509Certificates;
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
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            return Continue(context, null, default);
        }

        var found = registry.Lookup(certificate);

        // Not known here: on a replica, maybe registered elsewhere a moment ago and not yet announced.
        return found.Bot is null ? LookAgainAsync(context, certificate, found) : Continue(context, certificate, found);
    }

    private async Task LookAgainAsync(HttpContext context, X509Certificate2 certificate, (BotRecord? Bot, TradingState GlobalState) found)
    {
        var again = await registry.LookupAgainAsync(certificate, context.RequestAborted).ConfigureAwait(false);
        await Continue(context, certificate, again ?? found).ConfigureAwait(false);
    }

    private Task Continue(HttpContext context, X509Certificate2? certificate, (BotRecord? Bot, TradingState GlobalState) found)
    {
        var (bot, refusal) = Identify(context, certificate, found);
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

    private (BotIdentity? Bot, string? Refusal) Identify(HttpContext context, X509Certificate2? certificate, (BotRecord? Bot, TradingState GlobalState) found)
    {
        if (certificate is null)
        {
            IdentityLog.CertificateRefused(logger, "no client certificate", Remote(context));
            return (null, "A client certificate is required.");
        }

        var (bot, globalState) = found;
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
