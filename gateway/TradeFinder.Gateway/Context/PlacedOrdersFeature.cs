namespace TradeFinder.Gateway.Context;

/// <summary>The orders a POST places, each with the client id it can be found by (plain, conditional or batch).</summary>
internal sealed record PlacedOrdersFeature(IReadOnlyList<(string Symbol, string ClientOrderId)> Orders, bool Algo, bool Batch);
