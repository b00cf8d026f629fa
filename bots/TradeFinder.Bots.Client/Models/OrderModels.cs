using System.Globalization;
using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary>An order as the exchange reports it (new, query, cancel).</summary>
public sealed record Order
{
    /// <summary>Exchange order id.</summary>
    [JsonPropertyName("orderId")]
    public long OrderId { get; init; }

    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>The client order id (every order placed through this client has one).</summary>
    [JsonPropertyName("clientOrderId")]
    public string ClientOrderId { get; init; } = "";

    /// <summary>NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED, …</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Side.</summary>
    [JsonPropertyName("side")]
    public OrderSide Side { get; init; }

    /// <summary>Position side.</summary>
    [JsonPropertyName("positionSide")]
    public PositionSide PositionSide { get; init; }

    /// <summary>Order type.</summary>
    [JsonPropertyName("type")]
    public OrderType Type { get; init; }

    /// <summary>Limit price (0 for market orders).</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>Average fill price.</summary>
    [JsonPropertyName("avgPrice")]
    public decimal AveragePrice { get; init; }

    /// <summary>Ordered quantity.</summary>
    [JsonPropertyName("origQty")]
    public decimal Quantity { get; init; }

    /// <summary>Filled quantity.</summary>
    [JsonPropertyName("executedQty")]
    public decimal ExecutedQuantity { get; init; }

    /// <summary>Reduce-only.</summary>
    [JsonPropertyName("reduceOnly")]
    public bool ReduceOnly { get; init; }

    /// <summary>Last update, Unix ms.</summary>
    [JsonPropertyName("updateTime")]
    public long UpdateTime { get; init; }

    /// <summary>True when the order rests on the book or may still fill.</summary>
    public bool IsOpen => Status is "NEW" or "PARTIALLY_FILLED";
}

/// <summary>A conditional order (<c>/fapi/v1/algoOrder</c>): stops, take-profits, trailing stops.</summary>
public sealed record AlgoOrder
{
    /// <summary>Exchange id.</summary>
    [JsonPropertyName("algoId")]
    public long AlgoId { get; init; }

    /// <summary>Client id.</summary>
    [JsonPropertyName("clientAlgoId")]
    public string ClientAlgoId { get; init; } = "";

    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>Side.</summary>
    [JsonPropertyName("side")]
    public OrderSide Side { get; init; }

    /// <summary>STOP_MARKET, TAKE_PROFIT_MARKET, …</summary>
    [JsonPropertyName("orderType")]
    public OrderType Type { get; init; }

    /// <summary>NEW, TRIGGERED, FINISHED, CANCELED, EXPIRED, …</summary>
    [JsonPropertyName("algoStatus")]
    public string Status { get; init; } = "";

    /// <summary>Trigger price.</summary>
    [JsonPropertyName("triggerPrice")]
    public decimal TriggerPrice { get; init; }

    /// <summary>Quantity (0 with closePosition).</summary>
    [JsonPropertyName("quantity")]
    public decimal Quantity { get; init; }
}

/// <summary>A new order. Prices and quantities are decimals, sent in invariant culture.</summary>
/// <param name="Symbol">e.g. BTCUSDT.</param>
/// <param name="Side">BUY or SELL.</param>
/// <param name="Type">LIMIT or MARKET (conditional types go through <see cref="NewAlgoOrder"/>).</param>
public sealed record NewOrder(string Symbol, OrderSide Side, OrderType Type)
{
    /// <summary>Quantity in the base asset.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>Limit price.</summary>
    public decimal? Price { get; init; }

    /// <summary>Time in force (LIMIT orders; default GTC).</summary>
    public TimeInForce? TimeInForce { get; init; }

    /// <summary>LONG/SHORT in hedge mode.</summary>
    public PositionSide? PositionSide { get; init; }

    /// <summary>Only reduce the position.</summary>
    public bool? ReduceOnly { get; init; }

    /// <summary>
    /// The client order id. Left empty, the client assigns one before sending, so an uncertain outcome can
    /// always be resolved by looking the order up.
    /// </summary>
    public string? ClientOrderId { get; init; }

    internal IEnumerable<KeyValuePair<string, string>> Parameters(string clientOrderId)
    {
        yield return new("symbol", Symbol);
        yield return new("side", ExchangeNames.Of(Side));
        yield return new("type", ExchangeNames.Of(Type));
        if (PositionSide is { } positionSide)
        {
            yield return new("positionSide", ExchangeNames.Of(positionSide));
        }

        if (Quantity is { } quantity)
        {
            yield return new("quantity", Format(quantity));
        }

        if (Price is { } price)
        {
            yield return new("price", Format(price));
        }

        if (Type == OrderType.Limit || TimeInForce is not null)
        {
            yield return new("timeInForce", ExchangeNames.Of(TimeInForce ?? Models.TimeInForce.Gtc));
        }

        if (ReduceOnly is true)
        {
            yield return new("reduceOnly", "true");
        }

        yield return new("newClientOrderId", clientOrderId);

        // RESULT: a market order's answer carries its fill, not just the acknowledgement.
        yield return new("newOrderRespType", "RESULT");
    }

    /// <summary>Invariant, without trailing zeros or exponent.</summary>
    internal static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}

/// <summary>A new conditional order (stop, take-profit, trailing stop) on <c>POST /fapi/v1/algoOrder</c>.</summary>
/// <param name="Symbol">e.g. BTCUSDT.</param>
/// <param name="Side">BUY or SELL.</param>
/// <param name="Type">STOP_MARKET, TAKE_PROFIT_MARKET, STOP, TAKE_PROFIT or TRAILING_STOP_MARKET.</param>
/// <param name="TriggerPrice">Price that triggers it (not for trailing stops).</param>
public sealed record NewAlgoOrder(string Symbol, OrderSide Side, OrderType Type, decimal? TriggerPrice)
{
    /// <summary>Quantity; leave empty with <see cref="ClosePosition"/>.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>Limit price for STOP / TAKE_PROFIT.</summary>
    public decimal? Price { get; init; }

    /// <summary>Close the whole position when triggered.</summary>
    public bool ClosePosition { get; init; }

    /// <summary>Only reduce the position.</summary>
    public bool? ReduceOnly { get; init; }

    /// <summary>LONG/SHORT in hedge mode.</summary>
    public PositionSide? PositionSide { get; init; }

    /// <summary>Mark or contract (last) price; default contract price.</summary>
    public WorkingType? WorkingType { get; init; }

    /// <summary>Trailing distance in percent (TRAILING_STOP_MARKET).</summary>
    public decimal? CallbackRate { get; init; }

    /// <summary>Client id; assigned by the client when empty.</summary>
    public string? ClientAlgoId { get; init; }

    internal IEnumerable<KeyValuePair<string, string>> Parameters(string clientAlgoId)
    {
        yield return new("algoType", "CONDITIONAL");
        yield return new("symbol", Symbol);
        yield return new("side", ExchangeNames.Of(Side));
        yield return new("type", ExchangeNames.Of(Type));
        if (TriggerPrice is { } trigger)
        {
            yield return new("triggerPrice", NewOrder.Format(trigger));
        }

        if (Quantity is { } quantity)
        {
            yield return new("quantity", NewOrder.Format(quantity));
        }

        if (Price is { } price)
        {
            yield return new("price", NewOrder.Format(price));
        }

        if (ClosePosition)
        {
            yield return new("closePosition", "true");
        }

        if (ReduceOnly is true)
        {
            yield return new("reduceOnly", "true");
        }

        if (PositionSide is { } positionSide)
        {
            yield return new("positionSide", ExchangeNames.Of(positionSide));
        }

        if (WorkingType is { } workingType)
        {
            yield return new("workingType", ExchangeNames.Of(workingType));
        }

        if (CallbackRate is { } rate)
        {
            yield return new("callbackRate", NewOrder.Format(rate));
        }

        yield return new("clientAlgoId", clientAlgoId);
    }
}

/// <summary>One answer of a batch: the order, or the exchange's error for that item.</summary>
/// <param name="Order">The placed order, when it was accepted.</param>
/// <param name="Error">The exchange's error, when it was not.</param>
public sealed record BatchOrderResult(Order? Order, Contracts.Errors.ExchangeError? Error);
