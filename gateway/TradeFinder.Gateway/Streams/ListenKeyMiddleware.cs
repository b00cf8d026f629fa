using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// <c>POST/PUT/DELETE /fapi/v1/listenKey</c> from a bot are answered by the gateway with the bot's own virtual key:
/// the account's real key is the gateway's, so no bot can read other bots' events with it, let it lapse or delete it.
/// </summary>
internal sealed class ListenKeyMiddleware(RequestDelegate next, VirtualListenKeys keys, UserStreams streams)
{
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
                var opened = keys.Open(bot);
                streams.Ensure(bot.Account);
                return context.Response.WriteAsJsonAsync(new ListenKeyAnswer(opened), StreamsJson.Default.ListenKeyAnswer);
            case "PUT":
                return keys.KeepAlive(bot.Name, key)
                    ? context.Response.WriteAsJsonAsync(new ListenKeyAnswer(key ?? keys.Open(bot)), StreamsJson.Default.ListenKeyAnswer)
                    : ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, -1125, "This listenKey does not exist.");
            default:
                keys.Close(bot.Name, key);
                return context.Response.WriteAsJsonAsync(new ListenKeyAnswer(null), StreamsJson.Default.ListenKeyAnswer);
        }
    }
}
