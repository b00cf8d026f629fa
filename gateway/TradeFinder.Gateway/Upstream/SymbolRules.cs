namespace TradeFinder.Gateway.Upstream;

/// <summary>One symbol's exchangeInfo filters, as the upstream reported them.</summary>
internal sealed record SymbolRules(
    string Symbol, string Status, decimal MinPrice, decimal MaxPrice, decimal TickSize, decimal MinQty, decimal MaxQty, decimal StepSize,
    decimal MarketMinQty, decimal MarketMaxQty, decimal MarketStepSize, decimal MinNotional, IReadOnlySet<string> OrderTypes);
