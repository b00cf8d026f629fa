using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.MarketData;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Resilience;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Routing;
using TradeFinder.Gateway.Scopes;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Streams;
using TradeFinder.Gateway.Upstream;
using TradeFinder.Gateway.Validation;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Gateway;

/// <summary>
/// The bot request pipeline, top to bottom in one place (numbered as in docs/ARCHITECTURE.md): the steps,
/// the YARP transforms that build and read the upstream request, and the handler chain every call to the
/// exchange goes through. Each step's services are registered by its own capability.
/// </summary>
internal static class GatewayPipeline
{
    /// <summary>The upstream handler chain, outermost first; used by YARP and by the gateway's own look-ups.</summary>
    private static readonly Func<IServiceProvider, DelegatingHandler>[] UpstreamHandlers =
    [
        sp => ActivatorUtilities.CreateInstance<ResilienceHandler>(sp),     // breaker and timeout of the request's route class
        sp => ActivatorUtilities.CreateInstance<SigningRejectionHandler>(sp), // -2014/-2015: promote the standby key; -1021: re-measure the clock, re-sign an idempotent read once
    ];

    public static void UseGatewayPipeline(this WebApplication app)
    {
        app.Use(ConnectionRequestRate.InvokeAsync);                 //     requests per connection and second, before any other work
        app.UseWhen(c => c.GetListener() != Listener.Bots, other => other.Use(OffSocketThread.InvokeAsync)); // admin and ops work off the socket threads
        app.UseWhen(c => c.GetListener() == Listener.Bots, bots => bots
            .UseMiddleware<TrafficAuditMiddleware>()            //  0. one audit record for everything below
            .UseMiddleware<BotAuthenticationMiddleware>());     //  1. client certificate → registered, active bot
        app.UseWhen(c => c.GetListener() == Listener.Admin, admin => admin.UseMiddleware<AdminAuthenticationMiddleware>());
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromMinutes(3) });
        app.UseRouting();
        app.UseListenerIsolation();

        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<UpstreamErrorMiddleware>();     //     upstream unreachable → the exchange's -1001 shape
            proxy.UseMiddleware<CatalogMiddleware>();           //  2. canonical path, catalogued endpoint (deny by default)
            proxy.UseMiddleware<RequestShapeMiddleware>();      //  3. query or form body, within size limits
            proxy.UseMiddleware<RequestReadMiddleware>();       //  4. parameters (and batch orders) decoded once
            proxy.UseMiddleware<ScopeMiddleware>();             //  5. scope and trading state (kill switch)
            proxy.UseMiddleware<BackoffMiddleware>();           //  6. upstream said 429/418: answer locally until Retry-After
            proxy.UseMiddleware<BreakerMiddleware>();           //  7. route class failing upstream: 503 until the breaker half-opens
            proxy.UseMiddleware<ValidationMiddleware>();        //  8. parameters against exchangeInfo
            proxy.UseMiddleware<ListenKeyMiddleware>();         //     listenKey: the bot's own virtual key; the account's real one stays the gateway's
            proxy.UseMiddleware<OwnershipMiddleware>();         //  9. only the bot's own orders: ids bound to the bot, account-wide cancels narrowed
            proxy.UseMiddleware<RiskGuardMiddleware>();         // 10. per-bot limits on the bot's own exposure, checked and reserved atomically
            proxy.UseMiddleware<BudgetMiddleware>();            // 11. weight and order budgets: bot quota, shared key, cancel reserve
            proxy.UseMiddleware<ModeRoutingMiddleware>();       // 12. the bot's mode picks the cluster
            proxy.UseMiddleware<MarketDataCacheMiddleware>();   // 13. identical public market data: one upstream call, short TTL
            proxy.UseMiddleware<OrderOutcomeMiddleware>();      // 14. unknown order outcome: look it up, never re-send
            proxy.UseMiddleware<SigningMiddleware>();           // 15. sign; YARP then forwards (SigningTransform)
        }).OnListener(Listener.Bots);

        app.MapFallback(context => ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, ExchangeErrorCodes.PathNotFound, "Path not found."));
    }

    /// <summary>YARP: one route for the exchange's paths, one cluster per mode served, the transforms, and the handler chain.</summary>
    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, UpstreamDirectory upstreams, IConfiguration configuration)
    {
        var activityTimeout = TimeSpan.FromSeconds((configuration.GetSection(UpstreamOptions.Section).Get<UpstreamOptions>() ?? new()).ForwarderActivityTimeoutSeconds);
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
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = activityTimeout },
        }).ToArray();

        services.AddReverseProxy().LoadFromMemory([route], clusters).AddTransforms(context =>
        {
            context.AddSigning();               // exact signed query and body, the gateway's key header, nothing the bot sent
            context.AddResilienceRoute();       // which breaker the upstream call belongs to
            context.AddBackoff();               // upstream 429/418 → back off every bot
            context.AddBudgetObservation();     // used-weight and order-count headers correct the shared budget
            context.AddOrderOutcome();          // an order answer that does not say whether it exists → look it up
            context.AddOwnedAnswers();          // orders, trades, positions, income: the bot's own view; the ledger learns from it
            context.AddSentRecord();            // a trade request's audit record goes to disk while the exchange handles it (last: the request as sent)
        });

        services.AddSingleton<IForwarderHttpClientFactory>(sp => new ChainedForwarderHttpClientFactory(sp, UpstreamHandlers));
        var lookups = services.AddHttpClient(UpstreamQueries.HttpClientName);
        foreach (var handler in UpstreamHandlers)
        {
            lookups.AddHttpMessageHandler(handler);
        }

        return services;
    }
}
