using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Admin;

/// <summary>The admin API on the admin port (mTLS, admin certificates): audit queries and verification, recent anomalies.</summary>
internal static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").OnListener(Listener.Admin);

        admin.MapGet("/audit", async (string? bot, string? type, long? from, long? to, long? after, int? limit, IAuditStore store, CancellationToken ct) =>
            TypedResults.Json(await store.QueryAsync(new AuditQuery(bot, type, from, to, after, limit ?? 100), ct).ConfigureAwait(false)));

        admin.MapGet("/anomalies", (Anomalies.AnomalyMonitor monitor) => TypedResults.Json(monitor.Recent.Reverse()));

        admin.MapGet("/audit/verify", async (IAuditStore store, AuditChainKey key, AuditCheckpoints checkpoints, CancellationToken ct) =>
            TypedResults.Json(await AuditChain.VerifyAsync(store, key, checkpoints, ct).ConfigureAwait(false)));
    }
}
