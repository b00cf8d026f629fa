using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Modes;

/// <summary>The exchange's REST hosts per mode (Binance USDⓈ-M Futures "General Info: base endpoints").</summary>
internal static class ExchangeEndpoints
{
    public static readonly Uri Production = new("https://fapi.binance.com/");
    public static readonly Uri Testnet = new("https://testnet.binancefuture.com/");

    /// <summary>The SAPI host that answers the key-restrictions check (Binance Wallet "Get API Key Permission"); the futures testnet has none.</summary>
    public static readonly Uri ProductionSapi = new("https://api.binance.com/");

    public static Uri? RestrictionsHost(TradingMode mode) => mode == TradingMode.Live ? ProductionSapi : null;

    public static Uri For(TradingMode mode) => mode switch
    {
        TradingMode.Live => Production,
        TradingMode.Testnet => Testnet,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Paper has no public host; it is hosted by the gateway."),
    };
}
