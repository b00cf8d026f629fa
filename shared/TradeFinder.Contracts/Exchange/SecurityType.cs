namespace TradeFinder.Contracts.Exchange;

/// <summary>The exchange's endpoint security types (Binance USDⓈ-M "Endpoint Security Type").</summary>
public enum SecurityType
{
    /// <summary>Public: no key, no signature.</summary>
    None,

    /// <summary>Needs the <c>X-MBX-APIKEY</c> header, no signature.</summary>
    MarketData,

    /// <summary>listenKey management: key header, no signature.</summary>
    UserStream,

    /// <summary>Orders and account changes: key header, timestamp and signature.</summary>
    Trade,

    /// <summary>Account reads: key header, timestamp and signature.</summary>
    UserData,
}

/// <summary>What each <see cref="SecurityType"/> requires.</summary>
public static class SecurityTypeExtensions
{
    /// <summary>Whether the endpoint needs the <c>X-MBX-APIKEY</c> header.</summary>
    /// <param name="type">The security type.</param>
    /// <returns>True for every type but <see cref="SecurityType.None"/>.</returns>
    public static bool NeedsApiKey(this SecurityType type) => type != SecurityType.None;

    /// <summary>Whether the endpoint needs <c>timestamp</c> and <c>signature</c>.</summary>
    /// <param name="type">The security type.</param>
    /// <returns>True for TRADE and USER_DATA.</returns>
    public static bool IsSigned(this SecurityType type) => type is SecurityType.Trade or SecurityType.UserData;
}
