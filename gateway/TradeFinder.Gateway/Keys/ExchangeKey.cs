using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Ed25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// One exchange key ready to sign: HMAC-SHA256 (hex), Ed25519 or RSA PKCS#1 v1.5 SHA-256 (base64, URL-encoded),
/// as Binance USDⓈ-M Futures "SIGNED (TRADE and USER_DATA) Endpoint security" describes. Secret bytes are owned here and wiped when the key is retired — but only after
/// the last in-flight signature using it has finished, so a rotation never breaks a request mid-signing.
/// Nothing here formats secret material: logs, errors and status use <see cref="Fingerprint"/>.
/// </summary>
internal sealed class ExchangeKey : IDisposable
{
    // PKCS#8 wrapping of an Ed25519 seed (RFC 8410): a fixed 16-byte prefix, then the 32-byte seed.
    private static readonly byte[] Ed25519Pkcs8Prefix = Convert.FromHexString("302e020100300506032b657004220420");

    private readonly byte[] _secret;
    private readonly byte[]? _publicKey;
    private readonly RSA? _rsa;
    private int _users;
    private int _retired;
    private int _wiped;

    private ExchangeKey(KeySet set, string apiKey, ExchangeKeyType type, byte[] secret, byte[]? publicKey, RSA? rsa, string version, Uri boundHost, DateTimeOffset loadedAt)
    {
        Set = set;
        ApiKey = apiKey;
        Type = type;
        _secret = secret;
        _publicKey = publicKey;
        _rsa = rsa;
        Version = version;
        BoundHost = boundHost;
        LoadedAt = loadedAt;
        Fingerprint = FingerprintOf(apiKey);
    }

    public KeySet Set { get; }

    /// <summary>The public key id sent in <c>X-MBX-APIKEY</c>; not secret, but still never logged.</summary>
    public string ApiKey { get; }

    public ExchangeKeyType Type { get; }

    public string Fingerprint { get; }

    public string Version { get; }

    /// <summary>The upstream this key may be sent to; the forwarder refuses any other destination.</summary>
    public Uri BoundHost { get; }

    public DateTimeOffset LoadedAt { get; }

    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    public static string FingerprintOf(string apiKey) => "fp:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];

    /// <summary>Builds a key from provider material; the material stays owned (and is wiped) by the caller.</summary>
    public static ExchangeKey Create(KeySet set, KeyMaterial material, Uri boundHost, DateTimeOffset loadedAt)
    {
        if (!material.IsPrivateKeyPem)
        {
            return new ExchangeKey(set, material.ApiKey, ExchangeKeyType.Hmac, (byte[])material.Secret.Clone(), null, null, material.Version, boundHost, loadedAt);
        }

        var der = DecodePem(material.Secret);
        try
        {
            if (der.Length == Ed25519Pkcs8Prefix.Length + Ed25519.SecretKeySize && der.AsSpan().StartsWith(Ed25519Pkcs8Prefix))
            {
                var seed = der.AsSpan(Ed25519Pkcs8Prefix.Length).ToArray();
                var publicKey = new byte[Ed25519.PublicKeySize];
                Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
                return new ExchangeKey(set, material.ApiKey, ExchangeKeyType.Ed25519, seed, publicKey, null, material.Version, boundHost, loadedAt);
            }

            var rsa = RSA.Create();
            try
            {
                rsa.ImportPkcs8PrivateKey(der, out _);
            }
            catch (CryptographicException)
            {
                rsa.Dispose();
                throw new KeyMaterialException($"key set '{set.Name}': the private key is neither an Ed25519 nor an RSA PKCS#8 key.");
            }

            if (rsa.KeySize < 2048)
            {
                rsa.Dispose();
                throw new KeyMaterialException($"key set '{set.Name}': RSA keys must be at least 2048 bits.");
            }

            return new ExchangeKey(set, material.ApiKey, ExchangeKeyType.Rsa, [], null, rsa, material.Version, boundHost, loadedAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>
    /// Signs <paramref name="payload"/> in the form the exchange expects as the <c>signature</c> parameter value.
    /// False when the key was retired (rotated out) before signing began; the caller resolves the new key.
    /// </summary>
    public bool TrySign(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out string? signature)
    {
        // Full fences on both sides (Interlocked): either Retire sees this user, or this sees the retirement.
        Interlocked.Increment(ref _users);
        try
        {
            if (Volatile.Read(ref _retired) != 0)
            {
                signature = null;
                return false;
            }

            signature = Type switch
            {
                ExchangeKeyType.Hmac => HmacSha256Signer.SignHex(_secret, payload),
                ExchangeKeyType.Ed25519 => Uri.EscapeDataString(Convert.ToBase64String(SignEd25519(payload))),
                _ => Uri.EscapeDataString(Convert.ToBase64String(_rsa!.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))),
            };
            return true;
        }
        finally
        {
            if (Interlocked.Decrement(ref _users) == 0 && Volatile.Read(ref _retired) != 0)
            {
                Wipe();
            }
        }
    }

    /// <summary>No new signatures; the secret is wiped as soon as signatures already in progress finish.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _users) == 0)
        {
            Wipe();
        }
    }

    public void Dispose() => Retire();

    public override string ToString() => $"{Set.Name} {Type.ToString().ToLowerInvariant()} key {Fingerprint}";

    private byte[] SignEd25519(ReadOnlySpan<byte> payload)
    {
        var message = payload.ToArray();
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_secret, 0, _publicKey, 0, message, 0, message.Length, signature, 0);
        return signature;
    }

    private void Wipe()
    {
        if (Interlocked.Exchange(ref _wiped, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_secret);
            _rsa?.Dispose();
        }
    }

    private static byte[] DecodePem(byte[] pem)
    {
        var chars = new char[pem.Length];
        try
        {
            for (var i = 0; i < pem.Length; i++)
            {
                chars[i] = (char)pem[i];
            }

            if (!PemEncoding.TryFind(chars, out var fields))
            {
                throw new KeyMaterialException("the private key is not PEM (expected a PKCS#8 PRIVATE KEY block).");
            }

            var label = chars.AsSpan(fields.Label);
            if (!label.SequenceEqual("PRIVATE KEY"))
            {
                throw new KeyMaterialException("the private key must be a PKCS#8 PRIVATE KEY block, as the exchange requires.");
            }

            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(chars.AsSpan(fields.Base64Data), der, out _))
            {
                throw new KeyMaterialException("the private key PEM is not valid base64.");
            }

            return der;
        }
        finally
        {
            Array.Clear(chars);
        }
    }
}
