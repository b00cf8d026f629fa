using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>How an exchange key signs (reference §3).</summary>
internal enum ExchangeKeyType
{
    Hmac,
    Ed25519,
    Rsa,
}

/// <summary>
/// What a key is for. Reads (account, user stream, keyed market data) use a read key when one exists, so a
/// read-only bot never causes the trading key to be used; orders only ever use a trading key.
/// </summary>
internal enum KeyPurpose
{
    Read,
    Trade,
}

/// <summary>A named key set: one key, bound to one mode's upstream, for one purpose and one bot group.</summary>
internal sealed record KeySet(string Name, TradingMode Mode, KeyPurpose Purpose, string Group)
{
    public const string DefaultGroup = "default";

    /// <summary>The set used when none are configured: the trading key of the gateway's mode, for every bot.</summary>
    public static KeySet DefaultFor(TradingMode mode) => new(mode.ToConfigValue(), mode, KeyPurpose.Trade, DefaultGroup);

    public bool IsDefault => Purpose == KeyPurpose.Trade && Group == DefaultGroup && Name == Mode.ToConfigValue();
}
