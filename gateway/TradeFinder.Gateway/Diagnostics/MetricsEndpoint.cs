using OpenTelemetry.Metrics;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>Prometheus scraping of the gateway's meter (denials, breakers, budgets, streams, anomalies) and the platform's on the ops port.</summary>
internal static class MetricsEndpoint
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            // The platform's own instruments: request durations, connections and TLS handshakes, outbound calls, resilience events.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Polly")
            .AddPrometheusExporter());
        return services;
    }

    public static void MapGatewayMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").OnListener(Listener.Ops);
}
