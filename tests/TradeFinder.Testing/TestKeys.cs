using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Testing;

/// <summary>
/// Exchange keys generated at test time (never literals): HMAC, Ed25519 or RSA-2048, with the public half for
/// the simulator and a writer for the gateway's secret-file layout (owner-only files).
/// </summary>
public sealed record TestKey(string ApiKey, PaperKeyType Type, byte[] Secret, string? PrivateKeyPem, string? PublicKeyPem)
{
    public static TestKey Hmac(string prefix = "HMACkey") =>
        new(prefix + Hex(24), PaperKeyType.Hmac, Encoding.ASCII.GetBytes("SECRET" + Hex(32)), null, null);

    public static TestKey Ed25519(string prefix = "EDkey")
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var publicKey = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();
        var privateDer = Convert.FromHexString("302e020100300506032b657004220420").Concat(seed).ToArray();
        var publicDer = Convert.FromHexString("302a300506032b6570032100").Concat(publicKey).ToArray();
        return new(prefix + Hex(24), PaperKeyType.Ed25519, [], new string(PemEncoding.Write("PRIVATE KEY", privateDer)), new string(PemEncoding.Write("PUBLIC KEY", publicDer)));
    }

    public static TestKey Rsa(string prefix = "RSAkey")
    {
        using var rsa = RSA.Create(2048);
        return new(prefix + Hex(24), PaperKeyType.Rsa, [], rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }

    public static TestKey Of(string type) => type switch
    {
        "ed25519" => Ed25519(),
        "rsa" => Rsa(),
        _ => Hmac(),
    };

    /// <summary>How the simulator knows this key: the HMAC secret, or only the public key.</summary>
    public PaperCredential ToPaperCredential(ApiRestrictions? restrictions = null) => new(ApiKey, Secret)
    {
        KeyType = Type,
        PublicKeyPem = PublicKeyPem,
        Restrictions = restrictions ?? new ApiRestrictions(),
    };

    /// <summary>Writes <c>{directory}/{set}/api-key</c> and <c>secret</c> or <c>private-key.pem</c>, owner-only, replacing any previous key.</summary>
    public void WriteTo(string directory, string set)
    {
        var dir = Path.Combine(directory, set);
        Directory.CreateDirectory(dir);
        foreach (var stale in new[] { "secret", "private-key.pem" })
        {
            File.Delete(Path.Combine(dir, stale));
        }

        Write(Path.Combine(dir, PrivateKeyPem is null ? "secret" : "private-key.pem"), PrivateKeyPem is null ? Secret : Encoding.ASCII.GetBytes(PrivateKeyPem));
        Write(Path.Combine(dir, "api-key"), Encoding.ASCII.GetBytes(ApiKey + "\n"));
    }

    /// <summary>Every distinctive string of this key's secret half, for leak assertions.</summary>
    public IEnumerable<string> SecretFragments() => PrivateKeyPem is null
        ? [Encoding.ASCII.GetString(Secret)]
        : PrivateKeyPem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal));

    public override string ToString() => $"TestKey({Type}, {ApiKey[..8]}…)";

    private static void Write(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
