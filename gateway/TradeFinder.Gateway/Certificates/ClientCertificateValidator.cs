using System.Security.Cryptography.X509Certificates;
using TradeFinder.Contracts.Security;

namespace TradeFinder.Gateway.Certificates;

/// <summary>
/// TLS-level check of a presented client certificate: it must chain to our CA alone (never the system
/// store), be within its validity, and be meant for client authentication.
/// </summary>
internal static class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static bool IsAcceptable(X509Certificate2 certificate, X509Certificate2 ca, ClientRole role) =>
        ChainsTo(certificate, ca) && HasClientAuth(certificate) && RoleOf(certificate) == role;

    /// <summary>The role a certificate was issued for (its OU); a bot certificate never opens the admin port.</summary>
    public static ClientRole? RoleOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.GetSingleElementType().Value == "2.5.4.11")
            {
                return rdn.GetSingleElementValue() switch
                {
                    "bots" => ClientRole.Bot,
                    "admins" => ClientRole.Admin,
                    _ => null,
                };
            }
        }

        return null;
    }

    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca) => CustomRootTrust.ChainsTo(certificate, ca);

    /// <summary>A server certificate (serverAuth) that is no client's: what the ops CLI expects on the admin port.</summary>
    public static bool IsServerCertificate(X509Certificate2 certificate) =>
        HasUsage(certificate, ServerAuthOid) && !HasClientAuth(certificate) && RoleOf(certificate) is null;

    private static bool HasClientAuth(X509Certificate2 certificate) => HasUsage(certificate, ClientAuthOid);

    private static bool HasUsage(X509Certificate2 certificate, string usageOid)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                foreach (var oid in eku.EnhancedKeyUsages)
                {
                    if (oid.Value == usageOid)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }
}
