namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Per-bot risk limits; null means "not set here". A bot granted <c>trade</c> gets <see cref="Defaults"/> (or
/// <c>Gateway:DefaultLimits</c>) for every limit not set, unless an operator made it explicitly unlimited.
/// Orders that only reduce the bot's own position pass regardless.
/// </summary>
internal sealed record RiskLimits
{
    public const string DefaultsSection = "Gateway:DefaultLimits";

    /// <summary>What a trading bot gets when nobody said otherwise: modest, so a forgotten limit is a small one.</summary>
    public static RiskLimits Defaults { get; } = new()
    {
        MaxOrderNotional = 10_000m,
        MaxPositionNotional = 50_000m,
        MaxLeverage = 20,
        MaxOpenOrders = 50,
    };

    /// <summary>These limits with every one <paramref name="over"/> sets taking precedence.</summary>
    public RiskLimits With(RiskLimits? over) => over is null ? this : new RiskLimits
    {
        AllowedSymbols = over.AllowedSymbols ?? AllowedSymbols,
        AllowedOrderTypes = over.AllowedOrderTypes ?? AllowedOrderTypes,
        MaxOrderNotional = over.MaxOrderNotional ?? MaxOrderNotional,
        MaxPositionNotional = over.MaxPositionNotional ?? MaxPositionNotional,
        MaxLeverage = over.MaxLeverage ?? MaxLeverage,
        RequiredMarginType = over.RequiredMarginType ?? RequiredMarginType,
        RequiredDualSidePosition = over.RequiredDualSidePosition ?? RequiredDualSidePosition,
        MaxOpenOrders = over.MaxOpenOrders ?? MaxOpenOrders,
    };

    public IReadOnlyList<string>? AllowedSymbols { get; init; }

    public IReadOnlyList<string>? AllowedOrderTypes { get; init; }

    /// <summary>Largest notional of one order (MARKET valued at the mark price), in USDT.</summary>
    public decimal? MaxOrderNotional { get; init; }

    /// <summary>Largest position notional per symbol after the order, in USDT.</summary>
    public decimal? MaxPositionNotional { get; init; }

    public int? MaxLeverage { get; init; }

    /// <summary>ISOLATED or CROSSED: the only margin type this bot may set or trade under.</summary>
    public string? RequiredMarginType { get; init; }

    /// <summary>true = hedge mode, false = one-way: the only position mode this bot may set.</summary>
    public bool? RequiredDualSidePosition { get; init; }

    public int? MaxOpenOrders { get; init; }
}
