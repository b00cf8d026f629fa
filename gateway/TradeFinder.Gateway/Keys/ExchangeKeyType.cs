using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>How an exchange key signs (reference §3).</summary>
internal enum ExchangeKeyType
{
    Hmac,
    Ed25519,
    Rsa,
}
