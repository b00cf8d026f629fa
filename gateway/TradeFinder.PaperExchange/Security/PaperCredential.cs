namespace TradeFinder.PaperExchange.Security;

/// <summary>How a key signs: HMAC-SHA256 with a shared secret, or Ed25519 / RSA with a registered public key.</summary>
public enum PaperKeyType
{
    /// <summary>HMAC-SHA256, hex signature.</summary>
    Hmac,

    /// <summary>Ed25519 (RFC 8032), base64 signature.</summary>
    Ed25519,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256, base64 signature.</summary>
    Rsa,
}

/// <summary>What the key-restrictions check (<c>GET /sapi/v1/account/apiRestrictions</c>) reports for a key.</summary>
public sealed record ApiRestrictions
{
    /// <summary>The key is limited to trusted IPs.</summary>
    public bool IpRestrict { get; init; } = true;

    /// <summary>The key may withdraw funds.</summary>
    public bool EnableWithdrawals { get; init; }

    /// <summary>The key may move funds between accounts.</summary>
    public bool EnableInternalTransfer { get; init; }

    /// <summary>The key may use universal transfer.</summary>
    public bool PermitsUniversalTransfer { get; init; }

    /// <summary>The key may trade futures.</summary>
    public bool EnableFutures { get; init; } = true;

    /// <summary>The key may trade spot and margin.</summary>
    public bool EnableSpotAndMarginTrading { get; init; }

    /// <summary>The key may use cross margin.</summary>
    public bool EnableMargin { get; init; }

    /// <summary>The key may trade options.</summary>
    public bool EnableVanillaOptions { get; init; }
}

/// <summary>
/// An API key the simulator accepts. HMAC keys carry their secret (bytes, never a string); Ed25519 and RSA
/// keys carry only the public key, exactly as the exchange holds them.
/// </summary>
/// <param name="ApiKey">The public API key sent in <c>X-MBX-APIKEY</c>.</param>
/// <param name="Secret">The HMAC-SHA256 secret; empty for asymmetric keys.</param>
public sealed record PaperCredential(string ApiKey, ReadOnlyMemory<byte> Secret)
{
    /// <summary>Signature scheme of the key.</summary>
    public PaperKeyType KeyType { get; init; } = PaperKeyType.Hmac;

    /// <summary>SubjectPublicKeyInfo PEM of an Ed25519 or RSA key.</summary>
    public string? PublicKeyPem { get; init; }

    /// <summary>Permissions reported by the key-restrictions check.</summary>
    public ApiRestrictions Restrictions { get; init; } = new();

    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"PaperCredential({KeyType}, {ApiKey[..Math.Min(4, ApiKey.Length)]}…)";
}
