namespace TradeFinder.PaperExchange.Trading;

/// <summary>A regular order; mutable state kept under the venue's lock and persisted as JSON.</summary>
internal sealed class PaperOrder
{
    public long OrderId { get; set; }

    public string ClientOrderId { get; set; } = "";

    public string Symbol { get; set; } = "";

    public OrderSide Side { get; set; }

    public PositionSide PositionSide { get; set; }

    public OrderType Type { get; set; }

    public OrderType OrigType { get; set; }

    public TimeInForce TimeInForce { get; set; }

    public decimal Price { get; set; }

    public decimal OrigQty { get; set; }

    public decimal ExecutedQty { get; set; }

    public decimal CumQuote { get; set; }

    public decimal StopPrice { get; set; }

    public bool ReduceOnly { get; set; }

    public bool ClosePosition { get; set; }

    public WorkingType WorkingType { get; set; }

    public bool PriceProtect { get; set; }

    public OrderStatus Status { get; set; }

    public long Time { get; set; }

    public long UpdateTime { get; set; }

    public long GoodTillDate { get; set; }

    public decimal AvgPrice => ExecutedQty == 0 ? 0 : CumQuote / ExecutedQty;

    public decimal RemainingQty => OrigQty - ExecutedQty;
}
