namespace TradeFinder.Gateway.Context;

/// <summary>
/// Whether this gateway is one of several replicas, read straight from the settings (<c>Gateway:Cluster:Redis</c>,
/// <c>Gateway:Cluster:Postgres</c>), so every capability, the CLI included, decides alike what is shared.
/// </summary>
internal static class ClusterSettings
{
    public const string RedisKey = "Gateway:Cluster:Redis";
    public const string PostgresKey = "Gateway:Cluster:Postgres";

    /// <summary>Whether replicas share budgets, back-offs and membership through Redis; if not, a single node as before.</summary>
    public static bool SharesRedis(this IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[RedisKey]);

    /// <summary>Whether replicas share their registries and leadership through PostgreSQL.</summary>
    public static bool SharesPostgres(this IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[PostgresKey]);

    /// <summary>The cluster's connection string for PostgreSQL, or null on a single node.</summary>
    public static string? ClusterPostgres(this IConfiguration configuration) => configuration.SharesPostgres() ? configuration[PostgresKey] : null;
}
