using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Orders;

/// <summary>Reads the answers of order POSTs that do not settle whether the order exists, and keeps them from the bot.</summary>
internal static class OrderOutcomeTransform
{
    public static void AddOrderOutcome(this TransformBuilderContext context) => context.AddResponseTransform(async transform =>
    {
        var http = transform.HttpContext;
        if (http.Features.Get<OrderInFlightFeature>() is not { } order
            || transform.ProxyResponse is not { } response
            || (int)response.StatusCode is < 400 or 429 or 418)
        {
            return;
        }

        var body = await response.Content.ReadAsByteArrayAsync(http.RequestAborted).ConfigureAwait(false);
        var code = ExchangeErrorResponses.ReadCode(body);
        transform.SuppressResponseBody = true;
        if ((int)response.StatusCode >= 500 || code is ExchangeErrorCodes.UnknownExecutionStatus or ExchangeErrorCodes.Overloaded)
        {
            order.Uncertain = ((int)response.StatusCode, code, body);
            return;
        }

        // A definite rejection: pass the exchange's answer on unchanged.
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    });
}
