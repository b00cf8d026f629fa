namespace TradeFinder.Gateway.Context;

internal static class ReducingOrders
{
    /// <summary>
    /// reduceOnly or closePosition, or hedge-mode closing sides (LONG+SELL, SHORT+BUY): the exchange's own
    /// list of risk-reducing orders (Binance USDⓈ-M Futures "Error codes", -1008: reduce-only and close-position orders are exempt).
    /// Whether one really reduces a position the bot holds is the risk step's question.
    /// </summary>
    public static bool IsReducing(Func<string, string?> p) =>
        string.Equals(p("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase)
        || IsClosePosition(p)
        || (p("positionSide"), p("side")) is ("LONG", "SELL") or ("SHORT", "BUY");

    public static bool IsClosePosition(Func<string, string?> p) => string.Equals(p("closePosition"), "true", StringComparison.OrdinalIgnoreCase);
}
