using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Where the gateway keeps its state (<c>TRADEFINDER_DATA</c>, default <c>./.tradefinder</c>), and where its
/// TLS material lives: in the data dir unless the operator configured their own.
/// </summary>
internal sealed record GatewayPaths(string DataDir)
{
    public const string VariableName = "TRADEFINDER_DATA";
    public const string DefaultDataDir = ".tradefinder";

    public string CertsDir { get; } = Path.Combine(DataDir, "certs");

    public string CaCertificate { get; init; } = Path.Combine(DataDir, "certs", "ca.crt");

    public string CaKey { get; init; } = Path.Combine(DataDir, "certs", "ca.key");

    public string ServerCertificate { get; init; } = Path.Combine(DataDir, "certs", "server.crt");

    public string ServerKey { get; init; } = Path.Combine(DataDir, "certs", "server.key");

    /// <summary>True when the operator supplied the CA; the gateway then never creates one.</summary>
    public bool OperatorCa { get; init; }

    public string BotRegistry { get; } = Path.Combine(DataDir, "registry", "bots.json");

    public string AdminRegistry { get; } = Path.Combine(DataDir, "registry", "admins.json");

    public string AuditDatabase { get; } = Path.Combine(DataDir, "audit", "audit.db");

    public string AuditSpool { get; } = Path.Combine(DataDir, "audit", "spool.jsonl");

    /// <summary>The hosted paper exchange's account, so paper positions survive a gateway restart.</summary>
    public string PaperState { get; } = Path.Combine(DataDir, "paper", "state.json");

    /// <summary>Loopback address of the running gateway's paper exchange, for <c>paper reset</c>.</summary>
    public string PaperEndpoint { get; } = Path.Combine(DataDir, "paper", "endpoint");

    public string ClientDir(ClientRole role, string name) =>
        Path.Combine(CertsDir, role == ClientRole.Admin ? "admins" : "bots", name);

    public static GatewayPaths From(IConfiguration configuration)
    {
        var configured = configuration[VariableName];
        var paths = new GatewayPaths(Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultDataDir : configured));
        var tls = configuration.GetSection(GatewayOptions.Section).GetSection("Tls").Get<TlsOptions>() ?? new TlsOptions();
        if (string.IsNullOrWhiteSpace(tls.CaCertificatePath))
        {
            return paths;
        }

        return paths with
        {
            OperatorCa = true,
            CaCertificate = Path.GetFullPath(tls.CaCertificatePath),
            CaKey = string.IsNullOrWhiteSpace(tls.CaKeyPath) ? paths.CaKey : Path.GetFullPath(tls.CaKeyPath),
            ServerCertificate = string.IsNullOrWhiteSpace(tls.ServerCertificatePath) ? paths.ServerCertificate : Path.GetFullPath(tls.ServerCertificatePath),
            ServerKey = string.IsNullOrWhiteSpace(tls.ServerKeyPath) ? paths.ServerKey : Path.GetFullPath(tls.ServerKeyPath),
        };
    }
}
