using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary>Order side.</summary>
[JsonConverter(typeof(ExchangeEnumConverter<OrderSide>))]
public enum OrderSide
{
    /// <summary>BUY.</summary>
    Buy,

    /// <summary>SELL.</summary>
    Sell,
}

/// <summary>Order type, as the exchange names it (STOP_MARKET, TAKE_PROFIT_MARKET, …).</summary>
[JsonConverter(typeof(ExchangeEnumConverter<OrderType>))]
public enum OrderType
{
    /// <summary>LIMIT.</summary>
    Limit,

    /// <summary>MARKET.</summary>
    Market,

    /// <summary>STOP (stop-limit; conditional, via the algo endpoint).</summary>
    Stop,

    /// <summary>STOP_MARKET (conditional).</summary>
    StopMarket,

    /// <summary>TAKE_PROFIT (conditional).</summary>
    TakeProfit,

    /// <summary>TAKE_PROFIT_MARKET (conditional).</summary>
    TakeProfitMarket,

    /// <summary>TRAILING_STOP_MARKET (conditional).</summary>
    TrailingStopMarket,
}

/// <summary>Time in force.</summary>
[JsonConverter(typeof(ExchangeEnumConverter<TimeInForce>))]
public enum TimeInForce
{
    /// <summary>Good till cancelled.</summary>
    Gtc,

    /// <summary>Immediate or cancel.</summary>
    Ioc,

    /// <summary>Fill or kill.</summary>
    Fok,

    /// <summary>Post only (rejected if it would take liquidity).</summary>
    Gtx,

    /// <summary>Good till date.</summary>
    Gtd,
}

/// <summary>Position side: BOTH in one-way mode, LONG or SHORT in hedge mode.</summary>
[JsonConverter(typeof(ExchangeEnumConverter<PositionSide>))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "LONG and SHORT are the exchange's own names.")]
public enum PositionSide
{
    /// <summary>One-way mode.</summary>
    Both,

    /// <summary>Hedge mode, long leg.</summary>
    Long,

    /// <summary>Hedge mode, short leg.</summary>
    Short,
}

/// <summary>Margin type of a symbol.</summary>
[JsonConverter(typeof(ExchangeEnumConverter<MarginType>))]
public enum MarginType
{
    /// <summary>ISOLATED.</summary>
    Isolated,

    /// <summary>CROSSED.</summary>
    Crossed,
}

/// <summary>Price a trigger watches.</summary>
[JsonConverter(typeof(ExchangeEnumConverter<WorkingType>))]
public enum WorkingType
{
    /// <summary>MARK_PRICE.</summary>
    MarkPrice,

    /// <summary>CONTRACT_PRICE (last price).</summary>
    ContractPrice,
}

/// <summary>Reads and writes enums in the exchange's UPPER_SNAKE_CASE (StopMarket ↔ STOP_MARKET).</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class ExchangeEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    where T : struct, Enum;

/// <summary>The exchange's spelling of enum values, for request parameters.</summary>
public static class ExchangeNames
{
    /// <summary>UPPER_SNAKE_CASE name of <paramref name="value"/>, e.g. <c>STOP_MARKET</c>.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The exchange's name for it.</returns>
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());
}
