using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// <c>POST/PUT/DELETE /fapi/v1/listenKey</c> from a bot are answered by the gateway with the bot's own virtual key:
/// the account's real key is the gateway's, so no bot can read other bots' events with it, let it lapse or delete it.
/// </summary>
internal sealed class ListenKeyMiddleware(RequestDelegate next, VirtualListenKeys keys, UserStreams streams, TimeProvider time)
{
    /// <summary>The longest a key waits for the account's stream to first connect; a later gap is resynced instead.</summary>
    private static readonly TimeSpan FirstConnectionWait = TimeSpan.FromSeconds(5);

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Features.GetRequiredFeature<UsdmEndpoint>();
        if (endpoint.Path != UsdmPaths.ListenKey)
        {
            return next(context);
        }

        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var key = context.Features.GetRequiredFeature<GatewayRequest>()["listenKey"];
        switch (endpoint.Method)
        {
            case "POST":
                return OpenAsync(context, bot);
            case "PUT":
                return keys.KeepAlive(bot.Name, key)
                    ? context.Response.WriteAsJsonAsync(new ListenKeyAnswer(key ?? keys.Open(bot)), StreamsJson.Default.ListenKeyAnswer)
                    : ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, -1125, "This listenKey does not exist.");
            default:
                keys.Close(bot.Name, key);
                return context.Response.WriteAsJsonAsync(new ListenKeyAnswer(null), StreamsJson.Default.ListenKeyAnswer);
        }
    }

    /// <summary>
    /// A new key is answered once the account's stream is live (at once, but for the first key after start), so an order
    /// the bot places as soon as it connects is carried by the stream as it happens, not read back after a gap.
    /// </summary>
    private async Task OpenAsync(HttpContext context, BotIdentity bot)
    {
        var opened = keys.Open(bot);
        try
        {
            await streams.Ensure(bot.Account).FirstAttempt.WaitAsync(FirstConnectionWait, time, context.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still connecting: the key works, and what the stream misses until it connects is resynced.
        }

        await context.Response.WriteAsJsonAsync(new ListenKeyAnswer(opened), StreamsJson.Default.ListenKeyAnswer).ConfigureAwait(false);
    }
}
