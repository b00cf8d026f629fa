using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// Requests per second on one connection (<c>Gateway:Limits:MaxRequestsPerSecondPerConnection</c>, a one-second
/// burst): a client pipelining or multiplexing requests as fast as it can gets the exchange's 429 / -1003 shape for
/// the excess, before any other work (authentication, audit) is done for it. Protects the gateway's CPU; the
/// exchange's own limits are the budgets' job.
/// </summary>
internal sealed class ConnectionRequestRate(int perSecond, TimeProvider time)
{
    /// <summary>Gives each connection its own bucket (HTTP/2 streams of one connection share it).</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => connection =>
    {
        connection.Items[typeof(TokenBucket)] = new TokenBucket(perSecond, time);
        return next(connection);
    };

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(TokenBucket), out var value) == true
            && value is TokenBucket bucket && !bucket.TryTake())
        {
            context.RequestServices.GetRequiredService<GatewayMetrics>().Denied(
                context.Connection.ClientCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false) ?? "?", "connection_rate");
            return ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests, TimeSpan.FromSeconds(1),
                "Too many requests on this connection.");
        }

        return next(context); // the common case awaits nothing here
    }
}
