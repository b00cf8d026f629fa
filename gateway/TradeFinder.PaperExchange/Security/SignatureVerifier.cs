using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace TradeFinder.PaperExchange.Security;

/// <summary>
/// Checks a request's signature the way the exchange does: over the query string followed directly by the
/// body (no '&amp;' between them), with the <c>signature</c> parameter removed. Written independently of the
/// gateway's signer (and with a different Ed25519 library) so each catches the other's mistakes.
/// </summary>
internal static class SignatureVerifier
{
    public static bool Verify(PaperCredential credential, string rawQuery, string rawBody) => credential.KeyType switch
    {
        PaperKeyType.Hmac => VerifyHmac(credential.Secret.Span, rawQuery, rawBody),
        _ => VerifyAsymmetric(credential, rawQuery, rawBody),
    };

    public static bool VerifyHmac(ReadOnlySpan<byte> secret, string rawQuery, string rawBody)
    {
        var query = RemoveSignature(rawQuery, out var fromQuery);
        var body = RemoveSignature(rawBody, out var fromBody);
        var presented = fromQuery ?? fromBody;
        if (presented is null || presented.Length != 64)
        {
            return false;
        }

        byte[] presentedBytes;
        try
        {
            presentedBytes = Convert.FromHexString(presented);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(query + body));
        return CryptographicOperations.FixedTimeEquals(expected, presentedBytes);
    }

    private static bool VerifyAsymmetric(PaperCredential credential, string rawQuery, string rawBody)
    {
        var query = RemoveSignature(rawQuery, out var fromQuery);
        var body = RemoveSignature(rawBody, out var fromBody);
        var presented = fromQuery ?? fromBody;
        if (presented is null || credential.PublicKeyPem is null)
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(presented);
        }
        catch (FormatException)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(query + body);
        if (credential.KeyType == PaperKeyType.Rsa)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(credential.PublicKeyPem);
            return rsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var der = Convert.FromBase64String(string.Concat(credential.PublicKeyPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim())));
        if (PublicKeyFactory.CreateKey(der) is not Ed25519PublicKeyParameters key || signature.Length != 64)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(payload, 0, payload.Length);
        return verifier.VerifySignature(signature);
    }

    /// <summary>Removes the first <c>signature=</c> segment and returns its (unescaped) value.</summary>
    internal static string RemoveSignature(string raw, out string? signature)
    {
        signature = null;
        if (raw.Length == 0)
        {
            return raw;
        }

        var parts = raw.Split('&');
        var kept = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (signature is null && part.StartsWith("signature=", StringComparison.Ordinal))
            {
                signature = Uri.UnescapeDataString(part["signature=".Length..]);
                continue;
            }

            kept.Add(part);
        }

        return string.Join('&', kept);
    }
}
