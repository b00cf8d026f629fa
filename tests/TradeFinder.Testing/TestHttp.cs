using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TradeFinder.Contracts.Security;

namespace TradeFinder.Testing;

public static class TestHttp
{
    public static HttpClient CreateMutualTlsClient(Uri baseAddress, X509Certificate2 trustedCa, X509Certificate2? clientCertificate, SslProtocols protocols = SslProtocols.None)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var presented = new X509Certificate2(certificate);
                    return CustomRootTrust.ChainsTo(presented, trustedCa);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }
}
