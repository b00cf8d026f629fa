using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Certificates;

/// <summary>PEM files for certificates and their keys, written owner-only.</summary>
internal static class Pem
{
    public static void Write(string certificatePath, string keyPath, X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        SecureFiles.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        SecureFiles.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }

    /// <summary>
    /// Loads a certificate with its private key. The PKCS#12 round trip gives a key SslStream can use on
    /// every platform (PEM-loaded keys are ephemeral).
    /// </summary>
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 LoadCertificate(string certificatePath) =>
        X509CertificateLoader.LoadCertificateFromFile(certificatePath);
}
