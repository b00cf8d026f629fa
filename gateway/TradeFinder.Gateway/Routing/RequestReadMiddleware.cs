using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Routing;

/// <summary>Step 4: reads the bot's parameters once (query and form body) so later steps see the same decoded values.</summary>
internal sealed class RequestReadMiddleware(RequestDelegate next, IOptions<RequestOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        // Without a body nothing is awaited: no state machine for this step on most requests.
        var read = GatewayRequest.ReadAsync(context.Request, options.Value.MaxBodyBytes, context.RequestAborted);
        if (read.IsCompletedSuccessfully)
        {
            context.Features.Set(read.Result);
            return next(context);
        }

        return ReadThenNextAsync(context, read);
    }

    private async Task ReadThenNextAsync(HttpContext context, ValueTask<GatewayRequest> read)
    {
        context.Features.Set(await read.ConfigureAwait(false));
        await next(context).ConfigureAwait(false);
    }
}
