using System.Security.Cryptography;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// What a secrets provider read for one key set, before it becomes an <see cref="ExchangeKey"/>: the API key
/// id, and either an HMAC secret or a PKCS#8 private key PEM, as bytes that are zeroed on dispose.
/// <see cref="Version"/> identifies the content (a hash, or the Vault version) so a watcher can tell a change.
/// </summary>
internal sealed class KeyMaterial : IDisposable
{
    private const int MinimumLength = 32;

    // Fragments that only ever appear in example values; real keys are random alphanumerics.
    private static readonly string[] PlaceholderFragments = ["xxx", "your_", "your-", "changeme", "change_me", "placeholder", "<", ">", "..."];

    public KeyMaterial(string apiKey, byte[] secret, bool isPrivateKeyPem, string version)
    {
        ApiKey = apiKey.Trim();
        Secret = TrimAscii(secret);
        IsPrivateKeyPem = isPrivateKeyPem;
        Version = version;
    }

    public string ApiKey { get; }

    /// <summary>HMAC secret bytes, or the private key PEM when <see cref="IsPrivateKeyPem"/>.</summary>
    public byte[] Secret { get; }

    public bool IsPrivateKeyPem { get; }

    public string Version { get; }

    /// <summary>A content version for providers without one: a hash that is safe to show (it is not reversible).</summary>
    public static string ContentVersion(ReadOnlySpan<byte> apiKey, ReadOnlySpan<byte> secret)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(apiKey);
        hash.AppendData([0]);
        hash.AppendData(secret);
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>
    /// Refuses empty, short or template values with a message naming <paramref name="source"/> but never the value.
    /// </summary>
    public void EnsureNotPlaceholder(string source)
    {
        if (IsPlaceholder(ApiKey))
        {
            throw new KeyMaterialException($"{source}: the API key looks like a placeholder (empty, shorter than {MinimumLength} characters, or an example value); set the real key.");
        }

        if (!IsPrivateKeyPem && IsPlaceholder(Secret))
        {
            throw new KeyMaterialException($"{source}: the secret looks like a placeholder (empty, shorter than {MinimumLength} characters, or an example value); set the real secret.");
        }
    }

    /// <summary>True when the value is empty, too short, a template fragment, or one repeated character.</summary>
    public static bool IsPlaceholder(string? value) =>
        string.IsNullOrWhiteSpace(value) || IsPlaceholder(System.Text.Encoding.UTF8.GetBytes(value.Trim()));

    public static bool IsPlaceholder(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumLength)
        {
            return true;
        }

        foreach (var fragment in PlaceholderFragments)
        {
            if (ContainsIgnoreCase(secret, fragment))
            {
                return true;
            }
        }

        Span<bool> seen = stackalloc bool[256];
        var distinct = 0;
        foreach (var b in secret)
        {
            if (!seen[b])
            {
                seen[b] = true;
                distinct++;
            }
        }

        return distinct <= 2;
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> haystack, string needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = char.ToLowerInvariant((char)haystack[i + j]) == char.ToLowerInvariant(needle[j]);
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] TrimAscii(byte[] value)
    {
        var span = value.AsSpan().Trim(" \t\r\n"u8);
        if (span.Length == value.Length)
        {
            return value;
        }

        var trimmed = span.ToArray();
        CryptographicOperations.ZeroMemory(value);
        return trimmed;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(Secret);

    public override string ToString() => $"key material {Version}";
}
