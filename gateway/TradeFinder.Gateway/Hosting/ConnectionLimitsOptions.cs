using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Hosting;

/// <summary>What one client, or everyone together, can make the gateway hold open (<c>Gateway:Limits</c>).</summary>
internal sealed class ConnectionLimitsOptions
{
    public const string Section = "Gateway:Limits";

    /// <summary>Open connections on all ports together.</summary>
    [Range(16, 1_000_000)]
    public int MaxConnections { get; set; } = 2_000;

    /// <summary>Open connections per client certificate (a bot, or an admin) on the mTLS ports.</summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerCertificate { get; set; } = 64;

    /// <summary>Total size of a request's headers, in bytes.</summary>
    [Range(1_024, 1_048_576)]
    public int MaxRequestHeadersTotalSize { get; set; } = 16 * 1024;

    [Range(4, 1_000)]
    public int MaxRequestHeaderCount { get; set; } = 50;

    /// <summary>Requests per second on one connection (a one-second burst); the excess is answered 429 at once.</summary>
    [Range(1, 1_000_000)]
    public int MaxRequestsPerSecondPerConnection { get; set; } = 10_000;

    /// <summary>Concurrent HTTP/2 streams on one connection.</summary>
    [Range(1, 1_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;
}
