using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>Prometheus scraping of the gateway's meter (denials, breakers, budgets, streams, anomalies) and the platform's on the ops port.</summary>
internal static class MetricsEndpoint
{
    /// <summary>The OpenTelemetry setting that turns OTLP export (traces and metrics) on; off by default.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics on the Prometheus scrape always; with <see cref="OtlpEndpointSetting"/> set (and the other standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> settings), traces bot → gateway → exchange and the metrics are exported over OTLP too.
    /// Query strings in spans are redacted by the instrumentation; no header is recorded.
    /// </summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GatewayMetrics>();
        var otlp = configuration[OtlpEndpointSetting] is { Length: > 0 };
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tradefinder-gateway"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    // The platform's own instruments: request durations, connections and TLS handshakes, outbound calls. The breakers
                    // are the gateway meter's own (state and transitions): Polly.Core alone records no metrics.
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
                    // The runtime's (read when scraped, nothing per request): GC heaps and pauses, JIT, thread pool, lock contention.
                    .AddMeter("System.Runtime")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // W3C trace context only: with the SDK's default (trace context and baggage) the HttpClient instrumentation
            // injects headers itself, past the handlers' own no-output propagator (OutboundHttp.NoTraceHeaders), and the
            // exchange would see our trace ids. Incoming bot requests are still read for a traceparent.
            Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Yarp.ReverseProxy")
                .AddOtlpExporter());
        }

        return services;
    }

    public static void MapGatewayMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").OnListener(Listener.Ops);
}
