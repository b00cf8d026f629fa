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
    decimal InitialPrice,
    IReadOnlyList<LeverageBracket> Brackets)
{
    public const int MaxNumOrders = 200;
    public const decimal MultiplierUp = 1.0500m;
    public const decimal MultiplierDown = 0.9500m;
    public const decimal LiquidationFeeRate = 0.012500m;
    public const decimal TriggerProtect = 0.0500m;
    public const decimal MarketTakeBound = 0.05m;

    public int MaxLeverage => Brackets[0].InitialLeverage;

    private static readonly IReadOnlyList<LeverageBracket> MajorBrackets = LeverageBracket.Build(
        (50_000m, 125, 0.004m), (600_000m, 100, 0.005m), (3_000_000m, 75, 0.0065m), (12_000_000m, 50, 0.01m),
        (70_000_000m, 25, 0.02m), (100_000_000m, 20, 0.025m), (230_000_000m, 10, 0.05m), (480_000_000m, 5, 0.1m),
        (600_000_000m, 4, 0.125m), (800_000_000m, 3, 0.15m), (1_200_000_000m, 2, 0.25m), (1_800_000_000m, 1, 0.5m));

    private static readonly IReadOnlyList<LeverageBracket> AltBrackets = LeverageBracket.Build(
        (5_000m, 75, 0.005m), (50_000m, 50, 0.01m), (250_000m, 25, 0.02m), (1_000_000m, 10, 0.05m),
        (5_000_000m, 5, 0.1m), (10_000_000m, 2, 0.25m), (20_000_000m, 1, 0.5m));

    /// <summary>The listed contracts; filter values follow the live exchange's for the same symbols.</summary>
    public static IReadOnlyList<SymbolSpec> Listed { get; } =
    [
        new("BTCUSDT", "BTC", 0.10m, 261.10m, 809484m, 0.001m, 0.001m, 1000m, 120m, 100m, 2, 3, 65_000m, MajorBrackets),
        new("ETHUSDT", "ETH", 0.01m, 39.86m, 306177m, 0.001m, 0.001m, 10000m, 2000m, 20m, 2, 3, 3_200m, MajorBrackets),
        new("SOLUSDT", "SOL", 0.0100m, 0.4200m, 6857m, 1m, 1m, 1_000_000m, 5_000m, 5m, 4, 0, 150m, AltBrackets),
    ];

    public static SymbolSpec? Find(string? symbol) => Listed.FirstOrDefault(s => s.Symbol == symbol);

    public decimal RoundToTick(decimal price) => Math.Round(price / TickSize, MidpointRounding.AwayFromZero) * TickSize;
}
