using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Routing;
using TradeFinder.Gateway.Scopes;
using TradeFinder.Gateway.Validation;
using TradeFinder.Gateway.Signing;
using Yarp.ReverseProxy.Configuration;

namespace TradeFinder.Gateway;

/// <summary>
/// The bot request pipeline, top to bottom in one place:
/// audit → authenticate → catalog (deny by default) → scope and trading state → validate → risk limits →
/// route to the bot's mode → sign → forward. Budgets and breakers slot in before routing.
/// </summary>
internal static class GatewayPipeline
{
    public static IServiceCollection AddGatewayPipeline(this IServiceCollection services, UpstreamDirectory upstreams, IConfiguration configuration)
    {
        services.AddSingleton(BotPolicies.From(configuration));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<OrderLedger>();
        services.AddSingleton<UpstreamQueries>();
        services.AddSingleton<KillSwitch>();
        services.AddTransient<TimestampRetryHandler>();
        services.AddHttpClient(UpstreamQueries.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10)).AddHttpMessageHandler<TimestampRetryHandler>();
        services.AddHttpClient(ExchangeRules.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ExchangeRules>();
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeRules>());
        services.AddSingleton<BotRegistry>();
        services.AddSingleton<AdminRegistry>();
        services.AddSingleton<ExchangeClock>();
        services.AddHttpClient(ClockSyncService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<ClockSyncService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClockSyncService>());
        services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, RetryingForwarderHttpClientFactory>();

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
        services.AddSingleton<UpstreamBackoff>();
        services.AddReverseProxy().LoadFromMemory([route], clusters).AddTransforms(context =>
        {
            context.AddSigning();
            context.AddBackoff();
        });
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
            proxy.UseMiddleware<CatalogMiddleware>();        // canonical path, catalogued endpoint (deny by default)
            proxy.UseMiddleware<RequestShapeMiddleware>();   // query or form body, within size limits
            proxy.UseMiddleware<RequestReadMiddleware>();    // parameters decoded once
            proxy.UseMiddleware<ScopeMiddleware>();          // scope and trading state (kill switch)
            proxy.UseMiddleware<BackoffMiddleware>();        // upstream said 429/418: answer locally until Retry-After
            proxy.UseMiddleware<ValidationMiddleware>();     // parameters against exchangeInfo
            proxy.UseMiddleware<RiskGuardMiddleware>();      // per-bot risk limits
            proxy.UseMiddleware<ModeRoutingMiddleware>();    // the bot's mode picks the cluster
            proxy.UseMiddleware<OrderLedgerMiddleware>();    // which orders are whose (cancel-open)
            proxy.UseMiddleware<SigningMiddleware>();        // sign; YARP then forwards (SigningTransform)
        }).OnListener(Listener.Bots);

        app.MapFallback(context => ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, -5000, "Path not found."));
    }
}
