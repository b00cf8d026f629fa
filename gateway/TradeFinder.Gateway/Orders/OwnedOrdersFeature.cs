namespace TradeFinder.Gateway.Orders;

/// <summary>The orders an order POST places, as the ledger will hold them (the risk step reserves them before they are sent).</summary>
internal sealed record OwnedOrdersFeature(IReadOnlyList<OwnedOrder> Orders);
