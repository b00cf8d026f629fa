namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// A position per symbol and side. <see cref="Amount"/> is signed as the exchange reports it: BOTH is net
/// (negative = short), LONG is positive, SHORT is negative.
/// </summary>
internal sealed class Position
{
    public string Symbol { get; set; } = "";

    public PositionSide Side { get; set; }

    public decimal Amount { get; set; }

    public decimal EntryPrice { get; set; }

    /// <summary>Margin held by an isolated position (0 for cross).</summary>
    public decimal IsolatedWallet { get; set; }

    public long UpdateTime { get; set; }

    public decimal Size => Math.Abs(Amount);

    public int Direction => Math.Sign(Amount);

    public decimal UnrealizedPnl(decimal markPrice) => (markPrice - EntryPrice) * Amount;
}

internal sealed record TradeRecord(
    long Id, long OrderId, string Symbol, OrderSide Side, PositionSide PositionSide, decimal Price, decimal Qty,
    decimal RealizedPnl, decimal Commission, bool Maker, long Time);

internal sealed record IncomeRecord(long TranId, string Symbol, string IncomeType, decimal Income, string Info, long Time, string TradeId);

internal sealed class SymbolSettings
{
    public int Leverage { get; set; } = 20;

    public MarginType MarginType { get; set; } = MarginType.CROSSED;
}
