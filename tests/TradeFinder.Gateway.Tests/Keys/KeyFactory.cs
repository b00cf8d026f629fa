using System.Text;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>Builds gateway keys the way the loader does, from provider material.</summary>
internal static class KeyFactory
{
    public static readonly Uri TestnetHost = new("https://testnet.binancefuture.com/");

    public static ExchangeKey Hmac(string apiKey, string secret, TradingMode mode = TradingMode.Testnet) =>
        Create(new KeyMaterial(apiKey, Encoding.UTF8.GetBytes(secret), isPrivateKeyPem: false, "v1"), mode);

    public static ExchangeKey From(TestKey key, TradingMode mode = TradingMode.Testnet, string version = "v1", KeyPurpose purpose = KeyPurpose.Trade, string group = KeySet.DefaultGroup, string? setName = null)
    {
        var material = key.PrivateKeyPem is null
            ? new KeyMaterial(key.ApiKey, (byte[])key.Secret.Clone(), isPrivateKeyPem: false, version)
            : new KeyMaterial(key.ApiKey, Encoding.ASCII.GetBytes(key.PrivateKeyPem), isPrivateKeyPem: true, version);
        return Create(material, mode, purpose, group, setName);
    }

    /// <summary>A slot holding <paramref name="key"/> as its testnet trade key, from a file source that is never read.</summary>
    public static KeySlot Slot(TestKey key)
    {
        var exchangeKey = From(key);
        return new KeySlot(exchangeKey.Set, new FileKeyProvider("/nonexistent"), exchangeKey);
    }

    private static ExchangeKey Create(KeyMaterial material, TradingMode mode, KeyPurpose purpose = KeyPurpose.Trade, string group = KeySet.DefaultGroup, string? setName = null)
    {
        using (material)
        {
            var set = new KeySet(setName ?? mode.ToConfigValue(), mode, purpose, group);
            return ExchangeKey.Create(set, material, mode == TradingMode.Live ? new Uri("https://fapi.binance.com/") : TestnetHost, DateTimeOffset.UnixEpoch);
        }
    }
}
