namespace TradeFinder.PaperExchange.Limits;

/// <summary>The exchange's limits (Binance USDⓈ-M Futures "General Info: limits"), lowered in tests to reach them quickly.</summary>
public sealed record RateLimitSettings
{
    /// <summary>REQUEST_WEIGHT per minute per IP.</summary>
    public int WeightPerMinute { get; init; } = 2400;

    /// <summary>ORDERS per 10 seconds per account.</summary>
    public int OrdersPer10Seconds { get; init; } = 300;

    /// <summary>ORDERS per minute per account.</summary>
    public int OrdersPerMinute { get; init; } = 1200;

    /// <summary>Requests a client may send while rate limited before its IP is banned (418).</summary>
    public int RequestsBeforeBan { get; init; } = 10;

    /// <summary>First ban; each further ban doubles, up to three days.</summary>
    public TimeSpan FirstBan { get; init; } = TimeSpan.FromMinutes(2);
}
