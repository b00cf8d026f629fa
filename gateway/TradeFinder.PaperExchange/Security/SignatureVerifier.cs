using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.PaperExchange.Security;

/// <summary>
/// Checks a request's HMAC-SHA256 signature the way the exchange does: over the query string followed
/// directly by the body (no '&amp;' between them), with the <c>signature</c> parameter removed.
/// Written independently of the gateway's signer so that each can catch the other's mistakes.
/// </summary>
internal static class SignatureVerifier
{
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
