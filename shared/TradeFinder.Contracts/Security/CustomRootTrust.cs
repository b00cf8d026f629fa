using System.Security.Cryptography.X509Certificates;

namespace TradeFinder.Contracts.Security;

/// <summary>
/// Trust in exactly one CA, never the system store: how bots check the gateway's server certificate and how
/// the gateway checks bot and admin certificates.
/// </summary>
public static class CustomRootTrust
{
    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/> and to nothing else.</summary>
    /// <param name="certificate">The presented certificate.</param>
    /// <param name="ca">The only trusted root.</param>
    /// <returns>True when the chain builds and ends at <paramref name="ca"/>.</returns>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ca);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }
}
