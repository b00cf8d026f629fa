namespace TradeFinder.Gateway.Certificates;

/// <summary>Operator-provided TLS material (<c>Gateway:Tls</c>); when unset, a development CA in the data dir is used.</summary>
internal sealed class TlsOptions
{
    public const string Section = "Gateway:Tls";

    public string? CaCertificatePath { get; set; }

    public string? CaKeyPath { get; set; }

    public string? ServerCertificatePath { get; set; }

    public string? ServerKeyPath { get; set; }

    /// <summary>
    /// More names (DNS names or IP addresses) for the development server certificate, besides localhost and
    /// loopback: the name bots reach the gateway by, e.g. <c>gateway</c> in a compose network.
    /// </summary>
    public List<string> ServerNames { get; set; } = [];
}
