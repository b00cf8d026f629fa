using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TradeFinder.Gateway.Tests.Repository;

/// <summary>One thing that looks like a committed secret; the value itself is never kept, only a fingerprint.</summary>
internal sealed record SecretFinding(string Where, string Rule, string Fingerprint)
{
    public override string ToString() => $"{Where}: {Rule} (sha256 {Fingerprint})";
}

/// <summary>
/// Looks for what must never be committed: private-key blocks with key material, high-entropy values assigned to
/// key/secret/password/token names, and the canary values the tests generate at run time (a committed one means
/// test output — a log, a data dir — went into the repository).
/// </summary>
internal static partial class SecretScanner
{
    /// <summary>
    /// Published example credentials, by the SHA-256 of the value: the exchange's own HMAC examples, kept as
    /// signing test vectors (tests/.../Keys/Vectors). Anything else that looks like a secret is a finding.
    /// </summary>
    private static readonly HashSet<string> PublishedExamples =
    [
        "c2cdb5350be92a49d4d191ad931ad58083eb11cf4b96efc0a8256341faf79cce", // USDⓈ-M Futures "SIGNED Endpoint Examples" secret
        "23e9efa3ced6e70c7f2dbe0d08295f18f94b0cbd5c6026677e3bc51897ee31f2", // spot REST API "SIGNED Endpoint Examples" secret

        // Fixed test canaries committed in a45b598 and replaced by values generated at run time in f219479; they
        // never were credentials, and the history keeps them. Any other canary in the tree or history is a finding.
        "7a4d95c1ee3182e9a117f0952fa499ab0702522db79c4fb2c9931fca00b16c78",
        "c13afd653f119105166c3eef2c82e0d151de0a5b27cee5032680c4c36e23f470",
        "b0e9f8948b0d53ea8732e2c787a936e580969a5aef4da86566d7f66e03fcd320", // the redaction test's fixed canary (42eda18)
        "b9e8d1a9bd55cc978560ad9e6864c773f7e191d29f47b6c0b3f990f33cc820db", // the redaction test's made-up key header value (42eda18)

        // Made-up keys the first tests wrote as literals (80a6e74, c65e55e, e289a6c, f442234), replaced by keys
        // generated at run time in f219479; they only ever opened the in-process simulator of those tests.
        "e2eee5100ba8de4c7cb0ed5f65dcbb6bb8ccc6792770910d5f8c4a990c5cdaf1",
        "d70b5ec785b417067293831f117fc8ea18fc9ed830ec22d161d994d5f5b019fe",
        "aba469c78bd872f7f43a7a1a92040d5c111652e3cf5700f0193b7e68f7d687cf",
        "c0105158e1b9471fc8bad575b9e83ad998f9ab090844d5f1dd522d7ea4556eb7",
        "7e862eaa57250de0e1c6e10676aaaf46a91c41a872f4e250195946207c76e732",
        "bc675beca5b2deb9c2078b9b46231828db0b7965ed97120d2e1d15e0e039686b",
        "1340c2a930cb6c3e14c5018855d113d4a7631fa764e01b2052a7c6386ede6f97",
        "47437562eeb502cb4cdac065e234ae4e7359372c59065a53719dcc4180e415ad",
    ];

    public static IEnumerable<SecretFinding> Scan(string where, string text, ISet<string>? allowed = null)
    {
        allowed ??= PublishedExamples;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (PrivateKeyHeader().IsMatch(line) && i + 1 < lines.Length && Base64Body().IsMatch(lines[i + 1].Trim()))
            {
                yield return new SecretFinding($"{where}:{i + 1}", "private key block", Fingerprint(lines[i + 1].Trim()));
            }

            foreach (Match match in Assignment().Matches(line))
            {
                var value = match.Groups["value"].Value;
                if (LooksRandom(value) && !allowed.Contains(Fingerprint(value)))
                {
                    yield return new SecretFinding($"{where}:{i + 1}", $"high-entropy value for '{match.Groups["name"].Value}'", Fingerprint(value));
                }
            }

            foreach (Match match in Canary().Matches(line))
            {
                if (allowed.Contains(Fingerprint(match.Value)))
                {
                    continue;
                }

                yield return new SecretFinding($"{where}:{i + 1}", "test canary value", Fingerprint(match.Value));
            }
        }
    }

    /// <summary>
    /// Random key material: long, letters and digits mixed, high entropy. Names of settings
    /// (<c>BINANCE_PRIVATE_KEY_FILE</c>) and worded placeholders (<c>dummy-secret-the-gateway-replaces</c>) are not.
    /// </summary>
    public static bool LooksRandom(string value) =>
        value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter) && !ConstantName().IsMatch(value) && Entropy(value) >= 3.5;

    public static string Fingerprint(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Shannon entropy in bits per character: random keys score 4–6, words and placeholders far less.</summary>
    public static double Entropy(string value) => -value.GroupBy(c => c)
        .Select(g => (double)g.Count() / value.Length)
        .Sum(p => p * Math.Log2(p));

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")]
    private static partial Regex PrivateKeyHeader();

    [GeneratedRegex(@"^[A-Za-z0-9+/=]{40,}$")]
    private static partial Regex Base64Body();

    [GeneratedRegex(@"(?i)(?<name>[a-z_.\-]*(?:api[_\-]?key|secret|passw(?:or)?d|token|private[_\-]?key)[a-z_]*)[""']?\s*[:=]\s*[""']?(?<value>[A-Za-z0-9+/_\-]{24,}={0,2})")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^[A-Z0-9_]+$")]
    private static partial Regex ConstantName();

    [GeneratedRegex(@"CANARY[A-Za-z]*[0-9a-f]{32,}")]
    private static partial Regex Canary();
}
