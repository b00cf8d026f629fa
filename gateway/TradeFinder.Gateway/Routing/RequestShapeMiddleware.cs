using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Routing;

/// <summary>
/// Step 3 (shape only): parameters come in the query or a form body, within size limits. Parameter-level
/// validation against exchangeInfo builds on this.
/// </summary>
internal sealed class RequestShapeMiddleware(RequestDelegate next, IOptions<RequestOptions> options)
{
    private const int MaxQueryLength = 8192;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.QueryString.HasValue && request.QueryString.Value!.Length > MaxQueryLength)
        {
            return Reject(context, $"Query string longer than {MaxQueryLength} characters.");
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody && !GatewayRequest.HasFormBody(request))
        {
            return Reject(context, "Parameters must be sent in the query string or as application/x-www-form-urlencoded.");
        }

        if (request.ContentLength > options.Value.MaxBodyBytes)
        {
            return Reject(context, $"Request body larger than {options.Value.MaxBodyBytes} bytes.");
        }

        return next(context);
    }

    private static Task Reject(HttpContext context, string message) =>
        ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, message);
}
