using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Cluster;

/// <summary>
/// Replicas acting as one client of the exchange (<c>Gateway:Cluster</c>). With no Redis configured the gateway keeps
/// its budgets in process, as a single node always has.
/// </summary>
internal sealed class ClusterOptions
{
    public const string Section = "Gateway:Cluster";

    /// <summary>StackExchange.Redis configuration string (<c>Gateway__Cluster__Redis</c>): shared budgets, back-off, membership.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// Npgsql connection string (<c>Gateway__Cluster__Postgres</c>): the bot and admin registries (with trading states,
    /// halts and revocations) shared by the replicas, changes announced by LISTEN/NOTIFY.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>This replica's name in the membership and in logs (default: host name, process id and a random suffix).</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string? ReplicaId { get; set; }

    /// <summary>A replica name when none is configured: host, process and a random suffix (test hosts share a process).</summary>
    public static string NewReplicaId()
    {
        // Within the pattern above whatever the host is called.
        var host = new string([.. Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').Take(40)]);
        return $"{host}-{Environment.ProcessId}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(6, lowercase: true)}";
    }

    /// <summary>How often a replica says it is alive; a replica silent for <see cref="MemberTimeoutMilliseconds"/> no longer counts.</summary>
    [Range(100, 60_000)]
    public int HeartbeatMilliseconds { get; set; } = 1_000;

    [Range(500, 600_000)]
    public int MemberTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>
    /// Longest wait for one shared-budget decision before the replica falls back to its local share. The check is on
    /// every request's path, so this is short; a replica that times out stays local for <see cref="RetryMilliseconds"/>.
    /// </summary>
    [Range(10, 10_000)]
    public int TimeoutMilliseconds { get; set; } = 250;

    [Range(100, 60_000)]
    public int RetryMilliseconds { get; set; } = 1_000;
}
