using System.Security.Cryptography;

namespace TradeFinder.Gateway.Keys;

/// <summary>HMAC-SHA256 over the exact payload bytes, lower-case hex (Binance USDⓈ-M Futures "SIGNED Endpoint Examples" (HMAC SHA256)).</summary>
internal static class HmacSha256Signer
{
    public static string SignHex(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> payload)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, payload, mac);
        return Convert.ToHexStringLower(mac);
    }
}
