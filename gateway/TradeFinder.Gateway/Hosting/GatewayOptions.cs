using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Hosting;

/// <summary>Settings under <c>Gateway:</c> (environment: <c>Gateway__Key</c>). Validated before anything starts.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Bot ingress, mTLS required (<c>host:port</c>).</summary>
    [Required]
    [RegularExpression(@"^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$")]
    public string BotsEndpoint { get; set; } = "127.0.0.1:8443";

    /// <summary>Admin API, mTLS with admin certificates only (<c>host:port</c>).</summary>
    [Required]
    [RegularExpression(@"^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$")]
    public string AdminEndpoint { get; set; } = "127.0.0.1:8444";

    /// <summary>Health, readiness and metrics over plain HTTP (<c>host:port</c>).</summary>
    [Required]
    [RegularExpression(@"^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$")]
    public string OpsEndpoint { get; set; } = "127.0.0.1:9464";

    /// <summary>TLS 1.3 only unless this is set; then TLS 1.2 is accepted too.</summary>
    public bool AllowTls12 { get; set; }

    /// <summary>recvWindow the gateway signs with, in ms; the exchange maximum is 60000.</summary>
    [Range(1, 60_000)]
    public int RecvWindowMs { get; set; } = 5000;

    /// <summary>How often the clock offset to each upstream is measured.</summary>
    [Range(5, 3600)]
    public int ClockSyncIntervalSeconds { get; set; } = 60;

    /// <summary>Largest form body a bot may send, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Starting USDT balance of the paper account.</summary>
    [Range(typeof(decimal), "0", "1000000000")]
    public decimal PaperStartingBalance { get; set; } = 10_000m;

    /// <summary>Seed of the paper price process: the same seed gives the same market.</summary>
    public int PaperSeed { get; set; } = 42;

    /// <summary>Symbols whose paper prices replay a one-minute kline CSV (symbol → file path).</summary>
    public Dictionary<string, string> PaperReplays { get; set; } = [];

    /// <summary>The hosted paper exchange's request-weight limit per minute (the exchange's default is 2400).</summary>
    [Range(1, int.MaxValue)]
    public int PaperWeightPerMinute { get; set; } = 2400;

    /// <summary>Let the hosted paper exchange journal what it receives (tests prove what reached upstream).</summary>
    public bool PaperJournal { get; set; }

    /// <summary>Operator-provided TLS material; when unset, a development CA in the data dir is used.</summary>
    public TlsOptions Tls { get; set; } = new();
}
