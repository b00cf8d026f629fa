using OpenTelemetry.Metrics;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>Prometheus scraping of the gateway's meter (denials, breakers, budgets) on the ops port.</summary>
internal static class MetricsEndpoint
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    public static void MapGatewayMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").OnListener(Listener.Ops);
}
