using System.Security.Cryptography.X509Certificates;

namespace TradeFinder.Gateway.Certificates;

/// <summary>The TLS material the mTLS listeners serve with: the CA bots and admins chain to, and the server certificate.</summary>
internal sealed record GatewayTls(X509Certificate2 Ca, X509Certificate2 ServerCertificate, bool ServerChainsToCa)
{
    /// <summary>Loads (or on first start creates) the CA and server certificate; the CA stays with the caller for issuing.</summary>
    public static (GatewayTls Tls, CertificateAuthority Ca) Load(CertificatePaths paths, TimeProvider time, IReadOnlyList<string>? serverNames = null)
    {
        var ca = CertificateAuthority.LoadOrCreate(paths, time);
        try
        {
            var server = ca.LoadOrIssueServerCertificate(serverNames);
            return (new GatewayTls(ca.Certificate, server, ca.ChainsToThisCa(server)), ca);
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }
}
