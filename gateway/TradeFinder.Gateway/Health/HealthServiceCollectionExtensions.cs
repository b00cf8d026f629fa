using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Health;

internal static class HealthServiceCollectionExtensions
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddGatewayHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<HealthOptions, HealthOptionsValidator>(o => o.Bind(configuration.GetSection(HealthOptions.Section)));
        services.AddHttpClient(UpstreamReadinessCheck.HttpClientName).ConfigureHttpClient((sp, c) =>
            c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthOptions>>().Value.UpstreamTimeoutSeconds))
            .LockedDown(configuration);
        // One instance, so its last probe is shared by every /readyz call (health checks are resolved per run).
        services.AddSingleton<UpstreamReadinessCheck>();
        var checks = services.AddHealthChecks()
            .AddCheck<CertificateReadinessCheck>("certificates", tags: [ReadyTag])
            .AddCheck<UpstreamReadinessCheck>("upstreams", tags: [ReadyTag]);
        if (configuration.SharesRedis() || configuration.SharesPostgres())
        {
            checks.AddCheck<ClusterReadinessCheck>("cluster", tags: [ReadyTag]);
        }
        return services;
    }

    /// <summary><c>/healthz</c>: the process serves. <c>/readyz</c>: certificates and upstreams are usable (and, for a replica, whether budgets are shared).</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).OnListener(Listener.Ops);
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).OnListener(Listener.Ops);
    }

    private static Task WriteReadinessAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(new JsonObject
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = new JsonObject(report.Entries.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonObject
            {
                ["status"] = e.Value.Status.ToString(),
                ["description"] = e.Value.Description,
            }))),
        }.ToJsonString());
    }
}
