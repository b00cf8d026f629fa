namespace TradeFinder.Gateway.Orders;

/// <summary>
/// One bot's exposure on one (account, symbol, position side), in base quantity, counting the orders being
/// reserved: its share of the position (from its own orders' executed quantities, + long / - short), what its open
/// and in-flight orders could still add each way, and what its reduce-only orders already claim.
/// </summary>
internal readonly record struct SymbolExposure(
    string Symbol,
    string PositionSide,
    decimal Filled,
    decimal PendingBuy,
    decimal PendingSell,
    decimal ReducingBuy,
    decimal ReducingSell,
    int OpenOrders,
    bool AddsRisk,
    bool Reduces)
{
    /// <summary>The largest position the bot could end up holding if every open order filled the worse way.</summary>
    public decimal WorstCase => Math.Max(Math.Abs(Filled + PendingBuy), Math.Abs(Filled - PendingSell));

    /// <summary>True when the reduce-only orders fit inside the position the bot itself holds.</summary>
    public bool ReducingFits => PositionSide switch
    {
        "LONG" => ReducingSell <= Math.Max(0, Filled) && ReducingBuy == 0,
        "SHORT" => ReducingBuy <= Math.Max(0, -Filled) && ReducingSell == 0,
        _ => ReducingSell <= Math.Max(0, Filled) && ReducingBuy <= Math.Max(0, -Filled),
    };
}
