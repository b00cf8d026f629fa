namespace TradeFinder.Gateway.Orders;

/// <summary>Order log events (ids 312-319).</summary>
internal static partial class OrdersLog
{
    [LoggerMessage(312, LogLevel.Warning, "Order {ClientOrderId} for bot {Bot}: outcome unknown ({Cause}); looked it up: {Resolution}", EventName = "OrderOutcomeResolved")]
    public static partial void OrderOutcomeResolved(ILogger logger, string bot, string clientOrderId, string cause, string resolution);
}
