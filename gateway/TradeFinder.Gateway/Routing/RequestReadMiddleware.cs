using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Routing;

/// <summary>Step 4: reads the bot's parameters once (query and form body) so later steps see the same decoded values.</summary>
internal sealed class RequestReadMiddleware(RequestDelegate next, IOptions<RequestOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Features.Set(await GatewayRequest.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false));
        await next(context).ConfigureAwait(false);
    }
}
