namespace TradeFinder.PaperExchange.Hosting;

/// <summary>An API key the simulator accepts, with its HMAC secret (bytes, never a string).</summary>
/// <param name="ApiKey">The public API key sent in <c>X-MBX-APIKEY</c>.</param>
/// <param name="Secret">The HMAC-SHA256 secret.</param>
public sealed record PaperCredential(string ApiKey, ReadOnlyMemory<byte> Secret)
{
    /// <summary>Keeps the secret out of logs and exception messages.</summary>
    public override string ToString() => $"PaperCredential({ApiKey[..Math.Min(4, ApiKey.Length)]}…)";
}
