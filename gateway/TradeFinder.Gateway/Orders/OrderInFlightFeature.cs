namespace TradeFinder.Gateway.Orders;

/// <summary>An order POST in flight, and what made its outcome uncertain (if anything).</summary>
internal sealed class OrderInFlightFeature
{
    /// <summary>Set when the exchange answered with a status that does not say whether the order exists.</summary>
    public (int Status, int? Code, byte[] Body)? Uncertain { get; set; }
}
