using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Modes;
using Yarp.ReverseProxy;

namespace TradeFinder.Gateway.Routing;

/// <summary>
/// Step 12: sends the request to the cluster of the bot's own mode. A bot whose mode is above the gateway's, or whose
/// mode has no upstream here, is refused: unclear means no trade.
/// </summary>
internal sealed class ModeRoutingMiddleware(RequestDelegate next, UpstreamDirectory upstreams, IProxyStateLookup proxyState)
{
    public Task InvokeAsync(HttpContext context)
    {
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        if (bot.Mode > upstreams.GatewayMode)
        {
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.Unauthorized,
                $"Bot '{bot.Name}' is set to {bot.Mode.ToConfigValue()} mode, above this gateway's {upstreams.GatewayMode.ToConfigValue()} mode.");
        }

        if (!upstreams.Upstreams.ContainsKey(bot.Mode) || !proxyState.TryGetCluster(UpstreamDirectory.ClusterId(bot.Mode), out var cluster) || cluster is null)
        {
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
                $"No {bot.Mode.ToConfigValue()} upstream is configured on this gateway.");
        }

        context.ReassignProxyRequest(cluster);
        return next(context);
    }
}
