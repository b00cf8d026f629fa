using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Audit;

/// <summary>Settings under <c>Gateway:Audit</c>.</summary>
internal sealed class AuditOptions
{
    public const string Section = "Gateway:Audit";

    /// <summary><c>sqlite</c> (default, in the data dir) or <c>postgres</c>.</summary>
    public AuditStoreKind Store { get; set; } = AuditStoreKind.Sqlite;

    /// <summary>Npgsql connection string when <see cref="Store"/> is postgres.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Rows older than this are purged (the chain keeps an anchor).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Records waiting to be written; producers wait when it is full, nothing is dropped.</summary>
    [Range(100, 1_000_000)]
    public int QueueCapacity { get; set; } = 20_000;

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long records that need not wait for the disk (reads, refusals) may wait for others to share their commit.
    /// A record an answer waits for (an order's <c>sent</c> record) is never held back. 0 commits each as it comes.
    /// </summary>
    [Range(0, 100)]
    public int GatherMilliseconds { get; set; }

    /// <summary>How many queued records end a gathering window at once (a whole batch); null without a window.</summary>
    internal int? GatheredBatch => GatherMilliseconds > 0 ? BatchSize : null;

    /// <summary>How often a down database is retried.</summary>
    [Range(1, 300)]
    public int RetrySeconds { get; set; } = 2;
}
