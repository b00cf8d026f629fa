namespace TradeFinder.Gateway.Keys;

/// <summary>How an exchange key signs (Binance USDⓈ-M Futures "SIGNED (TRADE and USER_DATA) Endpoint security").</summary>
internal enum ExchangeKeyType
{
    Hmac,
    Ed25519,
    Rsa,
}
