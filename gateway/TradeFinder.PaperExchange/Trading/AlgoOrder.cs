namespace TradeFinder.PaperExchange.Trading;

/// <summary>A conditional order held by the algo service until its trigger fires (Binance USDⓈ-M Futures "New Order (TRADE)").</summary>
internal sealed class AlgoOrder
{
    public long AlgoId { get; set; }

    public string ClientAlgoId { get; set; } = "";

    public string Symbol { get; set; } = "";

    public OrderSide Side { get; set; }

    public PositionSide PositionSide { get; set; }

    public OrderType OrderType { get; set; }

    public TimeInForce TimeInForce { get; set; }

    public decimal Quantity { get; set; }

    public decimal Price { get; set; }

    public decimal TriggerPrice { get; set; }

    public WorkingType WorkingType { get; set; }

    public bool ClosePosition { get; set; }

    public bool PriceProtect { get; set; }

    public bool ReduceOnly { get; set; }

    public decimal ActivatePrice { get; set; }

    public decimal CallbackRate { get; set; }

    /// <summary>Trailing stops: whether the activation price was reached, and the best price since.</summary>
    public bool Activated { get; set; }

    public decimal Extreme { get; set; }

    public AlgoStatus AlgoStatus { get; set; }

    public long CreateTime { get; set; }

    public long UpdateTime { get; set; }

    public long TriggerTime { get; set; }

    public long ActualOrderId { get; set; }
}
