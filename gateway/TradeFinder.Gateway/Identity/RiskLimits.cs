namespace TradeFinder.Gateway.Identity;

/// <summary>Per-bot risk limits; null means "no limit of this kind". Orders that only reduce risk pass regardless.</summary>
internal sealed record RiskLimits
{
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
