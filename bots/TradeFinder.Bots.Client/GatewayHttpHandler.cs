using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TradeFinder.Contracts.Security;

namespace TradeFinder.Bots.Client;

/// <summary>
/// Builds the HTTP handler a bot talks to the gateway with: TLS 1.2+ (the gateway asks for 1.3), the bot's
/// client certificate, and trust in the gateway's CA only — never the system store.
/// </summary>
public static class GatewayHttpHandler
{
    /// <summary>Creates a handler for the given options.</summary>
    /// <param name="options">Certificate paths.</param>
    /// <returns>A handler presenting the bot's certificate; dispose it with the client.</returns>
    /// <exception cref="ArgumentException">Neither a PEM pair nor a PFX is configured.</exception>
    public static SocketsHttpHandler Create(GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
        var client = LoadClientCertificate(options);
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [client],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, ca),
            },
        };
    }

    internal static X509Certificate2 LoadClientCertificate(GatewayClientOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PfxPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(options.PfxPath, options.PfxPassword);
        }

        if (string.IsNullOrWhiteSpace(options.CertificatePath) || string.IsNullOrWhiteSpace(options.KeyPath))
        {
            throw new ArgumentException("Set CertificatePath and KeyPath (PEM) or PfxPath for the bot's client certificate.", nameof(options));
        }

        // Round-trip through PKCS#12 so the key is usable by the TLS stack on every platform.
        using var pem = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool IsTrusted(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var certificate = new X509Certificate2(presented);
        return CustomRootTrust.ChainsTo(certificate, ca);
    }
}
