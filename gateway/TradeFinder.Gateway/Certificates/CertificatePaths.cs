using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Certificates;

/// <summary>Where the TLS material lives: in the data dir's <c>certs/</c> unless the operator configured their own CA.</summary>
internal sealed record CertificatePaths(string CertsDir)
{
    public string CaCertificate { get; init; } = Path.Combine(CertsDir, "ca.crt");

    public string CaKey { get; init; } = Path.Combine(CertsDir, "ca.key");

    public string ServerCertificate { get; init; } = Path.Combine(CertsDir, "server.crt");

    public string ServerKey { get; init; } = Path.Combine(CertsDir, "server.key");

    /// <summary>True when the operator supplied the CA; the gateway then never creates one.</summary>
    public bool OperatorCa { get; init; }

    /// <summary>Where <c>certs issue</c> writes a client's certificate and key.</summary>
    public string ClientDir(ClientRole role, string name) => Path.Combine(CertsDir, role == ClientRole.Admin ? "admins" : "bots", name);

    public static CertificatePaths From(IConfiguration configuration) =>
        From(GatewayPaths.From(configuration), configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions());

    public static CertificatePaths From(GatewayPaths paths, TlsOptions tls)
    {
        var certificates = new CertificatePaths(Path.Combine(paths.DataDir, "certs"));
        if (string.IsNullOrWhiteSpace(tls.CaCertificatePath))
        {
            return certificates;
        }

        return certificates with
        {
            OperatorCa = true,
            CaCertificate = Path.GetFullPath(tls.CaCertificatePath),
            CaKey = string.IsNullOrWhiteSpace(tls.CaKeyPath) ? certificates.CaKey : Path.GetFullPath(tls.CaKeyPath),
            ServerCertificate = string.IsNullOrWhiteSpace(tls.ServerCertificatePath) ? certificates.ServerCertificate : Path.GetFullPath(tls.ServerCertificatePath),
            ServerKey = string.IsNullOrWhiteSpace(tls.ServerKeyPath) ? certificates.ServerKey : Path.GetFullPath(tls.ServerKeyPath),
        };
    }
}
