namespace TradeFinder.Gateway.Orders;

/// <summary>Order log events (ids 312-319).</summary>
internal static partial class OrdersLog
{
    [LoggerMessage(312, LogLevel.Warning, "Order {ClientOrderId} for bot {Bot}: outcome unknown ({Cause}); looked it up: {Resolution}", EventName = "OrderOutcomeResolved")]
    public static partial void OrderOutcomeResolved(ILogger logger, string bot, string clientOrderId, string cause, string resolution);

    [LoggerMessage(313, LogLevel.Error, "Order ownership store unavailable: {Reason}; ownership is kept in memory and written when it is back", EventName = "OwnershipStoreFailed")]
    public static partial void OwnershipStoreFailed(ILogger logger, string reason);

    [LoggerMessage(314, LogLevel.Information, "Order ownership reconciled with account {Account}: {Adopted} open order(s) adopted, {Found} order(s) sent since the ledger's last write found again", EventName = "OwnershipReconciled")]
    public static partial void OwnershipReconciled(ILogger logger, string account, int adopted, int found);

    [LoggerMessage(315, LogLevel.Warning, "Order ownership could not be reconciled with account {Account} yet: {Reason}; retrying", EventName = "OwnershipReconcileFailed")]
    public static partial void OwnershipReconcileFailed(ILogger logger, string account, string reason);

    [LoggerMessage(316, LogLevel.Information, "Order ownership store: {Purged} closed order(s) that executed nothing deleted after their keep time", EventName = "OwnershipStorePurged")]
    public static partial void OwnershipStorePurged(ILogger logger, int purged);

    [LoggerMessage(317, LogLevel.Information, "Order ownership store: {Folded} filled order(s) past their keep time folded into their bots' settled sums", EventName = "OwnershipStoreFolded")]
    public static partial void OwnershipStoreFolded(ILogger logger, int folded);
}
