using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.MarketData;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Resilience;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Routing;
using TradeFinder.Gateway.Scopes;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Upstream;
using TradeFinder.Gateway.Validation;
using Yarp.ReverseProxy.Configuration;

namespace TradeFinder.Gateway;

/// <summary>
/// The bot request pipeline, top to bottom in one place:
/// audit → authenticate → catalog (deny by default) → scope and trading state → back-off and breakers →
/// validate → risk limits → budgets → route to the bot's mode → market-data cache → order outcome → sign → forward.
/// </summary>
internal static class GatewayPipeline
{
    public static IServiceCollection AddGatewayPipeline(this IServiceCollection services, UpstreamDirectory upstreams, IConfiguration configuration)
    {
        services.AddSingleton(BotPolicies.From(configuration));
        services.AddGatewayMetrics();
        services.AddSingleton<OrderLedger>();
        services.AddSingleton<UpstreamQueries>();
        services.AddSingleton<KillSwitch>();
        services.AddTransient<TimestampRetryHandler>();
        services.AddTransient<ResilienceHandler>();
        services.AddHttpClient(UpstreamQueries.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .AddHttpMessageHandler<ResilienceHandler>().AddHttpMessageHandler<TimestampRetryHandler>();
        services.AddHttpClient(MarketDataCache.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).AddHttpMessageHandler<ResilienceHandler>();
        services.AddOptions<BudgetOptions>().Bind(configuration.GetSection(BudgetOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ResilienceOptions>().Bind(configuration.GetSection(ResilienceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExchangeBudgets>();
        services.AddSingleton<MarketDataCache>();
        services.AddSingleton<UpstreamResilience>();
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
            context.AddResilienceRoute();
            context.AddBackoff();
            context.AddBudgetObservation();
            context.AddOrderOutcome();
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
            proxy.UseMiddleware<BreakerMiddleware>();        // upstream failing for this route class: 503 until the breaker half-opens
            proxy.UseMiddleware<ValidationMiddleware>();     // parameters against exchangeInfo
            proxy.UseMiddleware<RiskGuardMiddleware>();      // per-bot risk limits
            proxy.UseMiddleware<BudgetMiddleware>();         // weight and order budgets: bot quota, shared key, cancel reserve
            proxy.UseMiddleware<ModeRoutingMiddleware>();    // the bot's mode picks the cluster
            proxy.UseMiddleware<MarketDataCacheMiddleware>(); // identical public market data: one upstream call, short TTL
            proxy.UseMiddleware<OrderLedgerMiddleware>();    // which orders are whose (cancel-open); every order gets a client id
            proxy.UseMiddleware<OrderOutcomeMiddleware>();   // unknown order outcome: look it up, never re-send
            proxy.UseMiddleware<SigningMiddleware>();        // sign; YARP then forwards (SigningTransform)
        }).OnListener(Listener.Bots);

        app.MapFallback(context => ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, -5000, "Path not found."));
    }
}
