namespace TradeFinder.PaperExchange.Market;

/// <summary>A perpetual contract the simulator lists, with the filter values exchangeInfo reports.</summary>
internal sealed record SymbolSpec(
    string Symbol,
    string BaseAsset,
    decimal TickSize,
    decimal MinPrice,
    decimal MaxPrice,
    decimal StepSize,
    decimal MinQty,
    decimal MaxQty,
    decimal MarketMaxQty,
    decimal MinNotional,
    int PricePrecision,
    int QuantityPrecision,
    decimal InitialPrice)
{
    public const int MaxNumOrders = 200;
    public const decimal MultiplierUp = 1.0500m;
    public const decimal MultiplierDown = 0.9500m;

    /// <summary>The listed contracts; filter values follow the live exchange's for the same symbols.</summary>
    public static IReadOnlyList<SymbolSpec> Listed { get; } =
    [
        new("BTCUSDT", "BTC", 0.10m, 261.10m, 809484m, 0.001m, 0.001m, 1000m, 120m, 100m, 2, 3, 65_000m),
        new("ETHUSDT", "ETH", 0.01m, 39.86m, 306177m, 0.001m, 0.001m, 10000m, 2000m, 20m, 2, 3, 3_200m),
        new("SOLUSDT", "SOL", 0.0100m, 0.4200m, 6857m, 1m, 1m, 1_000_000m, 5_000m, 5m, 4, 0, 150m),
    ];
}
