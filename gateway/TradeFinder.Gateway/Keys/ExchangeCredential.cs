using System.Security.Cryptography;
using System.Text;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// One exchange API key with its HMAC secret, bound to the upstream of one mode. The secret is held as bytes,
/// zeroed on dispose, and never formatted: logs and errors use <see cref="Fingerprint"/>.
/// </summary>
internal sealed class ExchangeCredential : IDisposable
{
    private readonly byte[] _secret;

    public ExchangeCredential(TradingMode mode, string apiKey, byte[] secret)
    {
        Mode = mode;
        ApiKey = apiKey;
        _secret = secret;
        Fingerprint = "fp:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];
    }

    public TradingMode Mode { get; }

    /// <summary>The public key id sent in <c>X-MBX-APIKEY</c>; not secret, but still never logged.</summary>
    public string ApiKey { get; }

    public string Fingerprint { get; }

    /// <summary>Hex HMAC-SHA256 of <paramref name="payload"/> (reference §3.1).</summary>
    public string SignHmacHex(ReadOnlySpan<byte> payload) => Signing.HmacSha256Signer.SignHex(_secret, payload);

    /// <summary>
    /// The paper key is generated per process and shared only with the in-process simulator, which must
    /// verify signatures with it. No other mode's secret ever leaves this object.
    /// </summary>
    public byte[] CopySecretForSimulator() =>
        Mode == TradingMode.Paper ? (byte[])_secret.Clone() : throw new InvalidOperationException("Only the paper key is shared with the simulator.");

    /// <summary>Lets the log and audit redactor mask this key and secret wherever they might appear.</summary>
    public void RegisterWithRedactor()
    {
        Logging.Redactor.RegisterSecret(ApiKey);
        Logging.Redactor.RegisterSecret(Encoding.UTF8.GetString(_secret));
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);

    public override string ToString() => $"{Mode.ToConfigValue()} key {Fingerprint}";
}
