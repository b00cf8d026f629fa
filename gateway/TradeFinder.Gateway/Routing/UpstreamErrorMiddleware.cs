using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Gateway.Routing;

/// <summary>
/// When the upstream cannot be reached or fails mid-request, bots get the exchange's -1001 shape instead
/// of an empty 502, so every client library surfaces a proper error.
/// </summary>
internal sealed class UpstreamErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        var status = error.Error is ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable;
        await ExchangeErrorResponses.WriteAsync(context, status, ExchangeErrorCodes.Disconnected,
            "Internal error; unable to process your request. Please try again.").ConfigureAwait(false);
    }
}
