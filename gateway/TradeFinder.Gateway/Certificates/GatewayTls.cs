using System.Security.Cryptography.X509Certificates;

namespace TradeFinder.Gateway.Certificates;

/// <summary>
/// The TLS material the mTLS listeners serve with: the CA bots and admins chain to (public part only), and the
/// server certificate.
/// </summary>
internal sealed record GatewayTls(X509Certificate2 Ca, X509Certificate2 ServerCertificate, bool ServerChainsToCa)
{
    /// <summary>
    /// Loads (or on first start creates) the CA and the server certificate. The CA's private key is in memory only
    /// while the server certificate is checked or issued; the running gateway keeps the CA's public certificate.
    /// </summary>
    public static GatewayTls Load(CertificatePaths paths, TimeProvider time, IReadOnlyList<string>? serverNames = null)
    {
        using var ca = CertificateAuthority.LoadOrCreate(paths, time);
        var server = ca.LoadOrIssueServerCertificate(serverNames);
        return new GatewayTls(X509CertificateLoader.LoadCertificate(ca.Certificate.RawData), server, ca.ChainsToThisCa(server));
    }
}
