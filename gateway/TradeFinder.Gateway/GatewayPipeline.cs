using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Routing;
using TradeFinder.Gateway.Signing;
using Yarp.ReverseProxy.Configuration;

namespace TradeFinder.Gateway;

/// <summary>
/// The bot request pipeline, top to bottom in one place:
/// authenticate → catalog (deny by default) → validate → route to the bot's mode → sign → forward.
/// Later steps (scopes, risk, budgets, breakers, audit) slot in at their marked places.
/// </summary>
internal static class GatewayPipeline
{
    public static IServiceCollection AddGatewayPipeline(this IServiceCollection services, UpstreamDirectory upstreams)
    {
        services.AddSingleton<BotRegistry>();
        services.AddSingleton<AdminRegistry>();
        services.AddSingleton<ExchangeClock>();
        services.AddHttpClient(ClockSyncService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddHostedService<ClockSyncService>();

        var route = new RouteConfig
        {
            RouteId = "fapi",
            ClusterId = UpstreamDirectory.ClusterId(upstreams.GatewayMode),
            Match = new RouteMatch { Path = "/fapi/{**rest}" },
        };
        var clusters = upstreams.Upstreams.Select(u => new ClusterConfig
        {
            ClusterId = UpstreamDirectory.ClusterId(u.Key),
            Destinations = new Dictionary<string, DestinationConfig> { ["exchange"] = new() { Address = u.Value.ToString() } },
            HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
        }).ToArray();
        services.AddReverseProxy().LoadFromMemory([route], clusters).AddTransforms(context => context.AddSigning());
        return services;
    }

    public static void UseGatewayPipeline(this WebApplication app)
    {
        app.UseWhen(c => c.GetListener() == Listener.Bots, bots => bots
            .UseMiddleware<TrafficAuditMiddleware>()           // audit record for everything below
            .UseMiddleware<BotAuthenticationMiddleware>());    // authenticate
        app.UseWhen(c => c.GetListener() == Listener.Admin, admin => admin.UseMiddleware<AdminAuthenticationMiddleware>());
        app.UseRouting();
        app.UseListenerIsolation();

        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<UpstreamErrorMiddleware>();
            proxy.UseMiddleware<CatalogMiddleware>();        // endpoint must be catalogued; scope check builds on it
            proxy.UseMiddleware<RequestShapeMiddleware>();   // validate
            proxy.UseMiddleware<ModeRoutingMiddleware>();    // the bot's mode picks the cluster
            proxy.UseMiddleware<SigningMiddleware>();        // sign; YARP then forwards (SigningTransform)
        }).OnListener(Listener.Bots);

        app.MapFallback(context => ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, -5000, "Path not found."));
    }
}
