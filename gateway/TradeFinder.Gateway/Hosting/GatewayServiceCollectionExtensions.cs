using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Dashboard;
using TradeFinder.Gateway.Anomalies;
using Microsoft.AspNetCore.DataProtection;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Health;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.MarketData;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Resilience;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Routing;
using TradeFinder.Gateway.Scopes;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Streams;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Hosting;

internal static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Every capability, each registering its own options, services and HTTP clients, lowest layer first.
    /// Hosted services start in this order: audit writer, paper exchange, exchangeInfo and clock sync (both
    /// before the gateway serves), then the key watcher, which checks keys with the synced clock.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration, StartedResources started)
    {
        services.AddSingleton(started.Paths);
        services.AddValidatedOptions<ListenerOptions, ListenerOptionsValidator, ListenerOptionsCustomValidator>(o => o.Bind(configuration.GetSection(ListenerOptions.Section)));
        return services
            .AddGatewayClock(started.Time)
            .AddGatewayMetrics(configuration)
            .AddGatewayAudit(configuration, started.Paths)
            .AddGatewayCertificates(configuration, started.Tls!)
            .AddGatewayIdentity(configuration)
            .AddGatewayModes(started.Upstreams!)
            .AddGatewayPaper(configuration, started.Paper!)
            .AddGatewayRouting(configuration)
            .AddGatewaySigning(configuration)
            .AddGatewayCluster(configuration)
            .AddGatewayBudgets(configuration)
            .AddGatewayResilience(configuration)
            .AddGatewayUpstream(configuration, started.KeyCheckHosts!)
            .AddGatewayMarketData(configuration)
            .AddGatewayOrders(configuration, started.Paths)
            .AddGatewayRisk()
            .AddGatewayStreams(configuration)
            .AddGatewayScopes()
            .AddGatewayAnomalies(configuration)
            .AddGatewayDashboard()
            .AddGatewayKeys(configuration, started.Keys!)
            .AddGatewayHealth(configuration)
            .AddGatewayAdmin()
            .AddGatewayProxy(started.Upstreams!, configuration)
            .WithoutDataProtectionKeysOnDisk();
    }

    /// <summary>
    /// YARP registers ASP.NET Core Data Protection (for session-affinity cookies, not used here). Protectors come from
    /// the ephemeral provider, keys in memory; the framework's hosted service would still load the default key ring at
    /// start, creating a key and storing it, unencrypted, under $HOME/.aspnet. Nothing here reads that ring: removed.
    /// </summary>
    private static IServiceCollection WithoutDataProtectionKeysOnDisk(this IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")
            {
                services.RemoveAt(i);
            }
        }

        return services;
    }
}
