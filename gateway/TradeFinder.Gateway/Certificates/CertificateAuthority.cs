using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Certificates;

/// <summary>
/// The CA that issues the gateway's server certificate and the bots' client certificates. When no CA is
/// configured, a development CA (ECDSA P-256) is created in the data dir on first use.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(397);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(14);
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly CertificatePaths _paths;
    private readonly TimeProvider _time;

    private CertificateAuthority(X509Certificate2 certificate, CertificatePaths paths, TimeProvider time)
    {
        Certificate = certificate;
        _paths = paths;
        _time = time;
    }

    /// <summary>The CA certificate; it has its private key unless the operator kept that elsewhere.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority LoadOrCreate(CertificatePaths paths, TimeProvider time)
    {
        if (File.Exists(paths.CaCertificate))
        {
            var existing = File.Exists(paths.CaKey)
                ? Pem.LoadWithKey(paths.CaCertificate, paths.CaKey)
                : Pem.LoadCertificate(paths.CaCertificate);
            return new CertificateAuthority(existing, paths, time);
        }

        if (paths.OperatorCa)
        {
            throw new GatewayStartupException($"Gateway:Tls:CaCertificatePath points at '{paths.CaCertificate}', which does not exist.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=TradeFinder Gateway Development CA, O=TradeFinder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
        Pem.Write(paths.CaCertificate, paths.CaKey, ca, key);
        return new CertificateAuthority(Pem.LoadWithKey(paths.CaCertificate, paths.CaKey), paths, time);
    }

    /// <summary>The server certificate from the data dir, re-issued when missing, close to expiry or without a configured name.</summary>
    public X509Certificate2 LoadOrIssueServerCertificate(IReadOnlyList<string>? extraNames = null)
    {
        extraNames ??= [];
        if (File.Exists(_paths.ServerCertificate) && File.Exists(_paths.ServerKey))
        {
            var existing = Pem.LoadWithKey(_paths.ServerCertificate, _paths.ServerKey);
            if (existing.NotAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime > RenewBefore && ChainsToThisCa(existing)
                && extraNames.All(n => existing.MatchesHostname(n)))
            {
                return existing;
            }

            existing.Dispose();
        }

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        foreach (var name in extraNames)
        {
            if (System.Net.IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=TradeFinder Gateway", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        AddLeafExtensions(request);
        using var issued = Sign(request);
        Pem.Write(_paths.ServerCertificate, _paths.ServerKey, issued, key);
        return Pem.LoadWithKey(_paths.ServerCertificate, _paths.ServerKey);
    }

    /// <summary>Issues a client certificate for a bot or an admin; the caller writes it and registers it.</summary>
    public (X509Certificate2 Certificate, ECDsa Key) IssueClient(ClientRole role, string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unit = role == ClientRole.Admin ? "admins" : "bots";
        var request = new CertificateRequest($"CN={name}, OU={unit}, O=TradeFinder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        AddLeafExtensions(request);
        return (Sign(request), key);
    }

    public bool ChainsToThisCa(X509Certificate2 certificate) => ClientCertificateValidator.ChainsTo(certificate, Certificate);

    private static void AddLeafExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private X509Certificate2 Sign(CertificateRequest request)
    {
        if (!Certificate.HasPrivateKey)
        {
            throw new GatewayStartupException("The CA's private key is not available here (Gateway:Tls:CaKeyPath); certificates cannot be issued.");
        }

        var now = _time.GetUtcNow();
        var notAfter = now.Add(LeafLifetime) < Certificate.NotAfter.ToUniversalTime() ? now.Add(LeafLifetime) : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(Certificate, now.AddMinutes(-5), notAfter, serial);
    }

    public void Dispose() => Certificate.Dispose();
}
