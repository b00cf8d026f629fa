namespace TradeFinder.Gateway.Anomalies;

/// <summary>Anomaly log events (ids 700-709).</summary>
internal static partial class AnomaliesLog
{
    [LoggerMessage(700, LogLevel.Warning, "Anomaly {Kind} ({Severity}) bot {Bot} account {Account}: {Evidence}; action: {Action}", EventName = "Anomaly")]
    public static partial void Detected(ILogger logger, string kind, string severity, string? bot, string? account, string evidence, string? action);

    [LoggerMessage(701, LogLevel.Warning, "Alert webhook failed ({Reason}); the anomaly stays in the audit trail", EventName = "AlertWebhookFailed")]
    public static partial void WebhookFailed(ILogger logger, string reason);

    [LoggerMessage(702, LogLevel.Warning, "Position watch on {Account}: {Reason}", EventName = "PositionCheckFailed")]
    public static partial void PositionCheckFailed(ILogger logger, string account, string reason);
}
