namespace TradeFinder.PaperExchange.Trading;

// Names match the exchange's wire values exactly (serialised with JsonStringEnumConverter, parsed ordinally).
#pragma warning disable CA1707 // wire names such as TAKE_PROFIT_MARKET
internal enum OrderSide { BUY, SELL }

internal enum PositionSide { BOTH, LONG, SHORT }

internal enum OrderType { LIMIT, MARKET, STOP, STOP_MARKET, TAKE_PROFIT, TAKE_PROFIT_MARKET, TRAILING_STOP_MARKET, LIQUIDATION }

internal enum TimeInForce { GTC, IOC, FOK, GTX, GTD }

internal enum OrderStatus { NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED }

internal enum AlgoStatus { NEW, CANCELED, TRIGGERING, TRIGGERED, FINISHED, REJECTED, EXPIRED }

internal enum WorkingType { CONTRACT_PRICE, MARK_PRICE }

internal enum MarginType { CROSSED, ISOLATED }
#pragma warning restore CA1707

internal static class TradingEnumExtensions
{
    public static int Sign(this OrderSide side) => side == OrderSide.BUY ? 1 : -1;

    public static bool IsConditional(this OrderType type) =>
        type is OrderType.STOP or OrderType.STOP_MARKET or OrderType.TAKE_PROFIT or OrderType.TAKE_PROFIT_MARKET or OrderType.TRAILING_STOP_MARKET;

    public static bool IsOpen(this OrderStatus status) => status is OrderStatus.NEW or OrderStatus.PARTIALLY_FILLED;
}
