namespace TradeFinder.Gateway.Context;

/// <summary>
/// The data dir (<c>TRADEFINDER_DATA</c>, default <c>./.tradefinder</c>) and the files the gateway keeps in it,
/// in one place so an operator can see what to back up. TLS material: <c>CertificatePaths</c>.
/// </summary>
internal sealed record GatewayPaths(string DataDir)
{
    public const string VariableName = "TRADEFINDER_DATA";
    public const string DefaultDataDir = ".tradefinder";

    public string BotRegistryFile { get; } = Path.Combine(DataDir, "registry", "bots.json");

    public string AdminRegistryFile { get; } = Path.Combine(DataDir, "registry", "admins.json");

    /// <summary>Upstream bans (418) survive a restart here.</summary>
    public string BackoffFile { get; } = Path.Combine(DataDir, "registry", "backoff.json");

    public string AuditDatabaseFile { get; } = Path.Combine(DataDir, "audit", "audit.db");

    /// <summary>
    /// The order ownership ledger (SQLite default). Its own file: SQLite takes one writer per file, and the ledger's
    /// writes waiting behind the audit writer's (or the reverse) held order answers for tens of milliseconds.
    /// </summary>
    public string OrdersDatabaseFile { get; } = Path.Combine(DataDir, "orders", "orders.db");

    public string AuditSpoolFile { get; } = Path.Combine(DataDir, "audit", "spool.jsonl");

    /// <summary>The audit chain's MAC key (never in the audit database).</summary>
    public string AuditChainKeyFile { get; } = Path.Combine(DataDir, "audit", "chain.key");

    /// <summary>Signed checkpoints of the audit chain, outside the database.</summary>
    public string AuditCheckpointFile { get; } = Path.Combine(DataDir, "audit", "checkpoints.jsonl");

    public string LogsDir { get; } = Path.Combine(DataDir, "logs");

    /// <summary>The hosted paper exchange's account, so paper positions survive a gateway restart.</summary>
    public string PaperStateFile { get; } = Path.Combine(DataDir, "paper", "state.json");

    /// <summary>Loopback address of the running gateway's paper exchange, for <c>paper reset</c>.</summary>
    public string PaperEndpointFile { get; } = Path.Combine(DataDir, "paper", "endpoint");

    public static GatewayPaths From(IConfiguration configuration)
    {
        var configured = configuration[VariableName];
        return new GatewayPaths(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultDataDir : configured));
    }
}
