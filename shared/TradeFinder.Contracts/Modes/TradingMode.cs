namespace TradeFinder.Contracts.Modes;

/// <summary>
/// Where a bot's orders go. The order is meaningful: a gateway serves every mode up to its own.
/// </summary>
public enum TradingMode
{
    /// <summary>The built-in simulator; no exchange key leaves the gateway.</summary>
    Paper = 0,

    /// <summary>The exchange's testnet, with the testnet key.</summary>
    Testnet = 1,

    /// <summary>The production exchange, with the production key.</summary>
    Live = 2,
}
