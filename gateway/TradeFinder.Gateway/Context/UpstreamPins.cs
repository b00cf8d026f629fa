using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Optional SPKI pinning of the exchange's hosts (<c>Gateway:Upstream:Pins:HOST:0=base64(SHA-256(SubjectPublicKeyInfo))</c>,
/// the <c>pin-sha256</c> form): on top of normal certificate validation, a pinned host's chain must contain a
/// certificate with one of its pins, so a mis-issued certificate for the exchange's name (a compromised CA, a
/// TLS-inspecting proxy) gets no key or signed request. Pin the exchange's intermediate or root, plus a backup.
/// </summary>
internal static class UpstreamPins
{
    public const string Section = "Gateway:Upstream:Pins";

    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(IConfiguration configuration)
    {
        var pins = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in configuration.GetSection(Section).GetChildren())
        {
            var set = host.GetChildren().Select(p => p.Value ?? "").ToHashSet(StringComparer.Ordinal);
            if (set.Count == 0 || set.Any(p => !IsPin(p)))
            {
                throw new GatewayStartupException($"{Section}:{host.Key}: each pin must be the base64 SHA-256 of a SubjectPublicKeyInfo (44 characters).");
            }

            pins[host.Key] = set;
        }

        return pins;
    }

    public static string PinOf(X509Certificate2 certificate) => Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Normal validation must pass; a pinned host must also show one of its pins somewhere in the chain.</summary>
    public static bool Accept(string host, X509Chain? chain, SslPolicyErrors errors, IReadOnlyDictionary<string, IReadOnlySet<string>> pins)
    {
        if (errors != SslPolicyErrors.None)
        {
            return false;
        }

        return !pins.TryGetValue(host, out var expected)
            || (chain is not null && chain.ChainElements.Any(e => expected.Contains(PinOf(e.Certificate))));
    }

    /// <summary>Puts the check on a handler (nothing changes when no host is pinned).</summary>
    public static void Apply(SocketsHttpHandler handler, IReadOnlyDictionary<string, IReadOnlySet<string>> pins)
    {
        if (pins.Count == 0)
        {
            return;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (sender, _, chain, errors) =>
            Accept(sender is SslStream ssl ? ssl.TargetHostName : "", chain, errors, pins);
    }

    private static bool IsPin(string value)
    {
        Span<byte> bytes = stackalloc byte[32];
        return value.Length == 44 && Convert.TryFromBase64String(value, bytes, out var written) && written == 32;
    }
}
