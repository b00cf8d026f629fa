namespace TradeFinder.Gateway.Upstream;

/// <summary>Log events of the gateway's own upstream calls (ids 400-409).</summary>
internal static partial class UpstreamLog
{
    [LoggerMessage(400, LogLevel.Information, "Clock offset to {Mode} upstream is {OffsetMs} ms (round trip {RoundTripMs} ms)", EventName = "ClockSynced")]
    public static partial void ClockSynced(ILogger logger, string mode, long offsetMs, long roundTripMs);

    [LoggerMessage(401, LogLevel.Warning, "Clock sync with {Mode} upstream failed: {Error}", EventName = "ClockSyncFailed")]
    public static partial void ClockSyncFailed(ILogger logger, string mode, string error);

    [LoggerMessage(402, LogLevel.Warning, "{Mode} upstream rejected a {Method} timestamp (-1021); clock re-measured, request re-signed and retried: {Retried}", EventName = "TimestampRejected")]
    public static partial void TimestampRejected(ILogger logger, string mode, string method, bool retried);

    [LoggerMessage(403, LogLevel.Warning, "exchangeInfo from {Mode} upstream could not be loaded: {Error}", EventName = "ExchangeRulesFailed")]
    public static partial void ExchangeRulesFailed(ILogger logger, string mode, string error);
}
