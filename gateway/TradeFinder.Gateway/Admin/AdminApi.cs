using System.Text.Json;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Admin;

/// <summary>The admin API on the admin port (mTLS, admin certificates): audit queries and verification, recent anomalies and the detectors' thresholds (changeable at run time).</summary>
internal static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").OnListener(Listener.Admin);

        admin.MapGet("/audit", async (string? bot, string? type, long? from, long? to, long? after, int? limit, IAuditStore store, CancellationToken ct) =>
            TypedResults.Json(await store.QueryAsync(new AuditQuery(bot, type, from, to, after, limit ?? 100), ct).ConfigureAwait(false), AdminJson.Default.IReadOnlyListAuditEvent));

        admin.MapGet("/anomalies", (Anomalies.AnomalyMonitor monitor) => TypedResults.Json<IReadOnlyList<Anomalies.DetectedAnomaly>>([.. monitor.Recent.Reverse()], AdminJson.Default.IReadOnlyListDetectedAnomaly));
        admin.MapGet("/anomalies/settings", (Anomalies.AnomalySettings settings) => TypedResults.Json(settings.Current, AdminJson.Default.AnomalyThresholds));
        admin.MapPut("/anomalies/settings", async Task<IResult> (Anomalies.AnomalyThresholdsChange change, Anomalies.AnomalySettings settings, AuditTrail audit, TimeProvider time, HttpContext context) =>
        {
            if (settings.TryChange(change) is { } refused)
            {
                return TypedResults.Json(new SettingsRefusal(refused), AdminJson.Default.SettingsRefusal, statusCode: StatusCodes.Status400BadRequest);
            }

            await AdminBotsApi.AuditAsync(audit, time, context, null, "anomaly thresholds changed", JsonSerializer.Serialize(change, AdminJson.Default.AnomalyThresholdsChange)).ConfigureAwait(false);
            return TypedResults.Json(settings.Current, AdminJson.Default.AnomalyThresholds);
        });

        admin.MapGet("/audit/verify", async (IAuditStore store, AuditChainKey key, AuditCheckpoints checkpoints, CancellationToken ct) =>
            TypedResults.Json(await AuditChain.VerifyAsync(store, key, checkpoints, ct).ConfigureAwait(false), AdminJson.Default.AuditVerification));
    }
}
