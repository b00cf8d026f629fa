namespace TradeFinder.Gateway.Diagnostics;

/// <summary>Gateway log events. Event ids: 1xx hosting, 2xx identity, 3xx routing/forwarding, 4xx signing, clock and keys.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(100, LogLevel.Information, "TradeFinder Gateway started in {Mode} mode; bots on {BotsEndpoint}, health on {OpsEndpoint}; upstreams: {Upstreams}", EventName = "GatewayStarted")]
    public static partial void Started(ILogger logger, string mode, string botsEndpoint, string opsEndpoint, string upstreams);

    [LoggerMessage(101, LogLevel.Warning, "{Warning}", EventName = "StartupWarning")]
    public static partial void StartupWarning(ILogger logger, string warning);

    [LoggerMessage(102, LogLevel.Information, "Exchange key set {KeySet} ({Mode}, {Purpose}, group {Group}, {KeyType}) loaded from {Provider}: {Fingerprint}", EventName = "KeyLoaded")]
    public static partial void KeyLoaded(ILogger logger, string keySet, string mode, string purpose, string group, string keyType, string provider, string fingerprint);

    [LoggerMessage(103, LogLevel.Warning, "Core dumps could not be disabled: {Reason}", EventName = "CoreDumpsNotDisabled")]
    public static partial void CoreDumpsNotDisabled(ILogger logger, string reason);

    [LoggerMessage(200, LogLevel.Warning, "Client refused: {Reason} (remote {Remote})", EventName = "CertificateRefused")]
    public static partial void CertificateRefused(ILogger logger, string reason, string remote);

    [LoggerMessage(201, LogLevel.Warning, "Bot {Bot} refused: status {Status}", EventName = "BotRefused")]
    public static partial void BotRefused(ILogger logger, string bot, string status);

    [LoggerMessage(300, LogLevel.Information, "Request refused for bot {Bot}: {Method} {Path}: {Reason}", EventName = "RequestRefused")]
    public static partial void RequestRefused(ILogger logger, string bot, string method, string path, string reason);

    [LoggerMessage(400, LogLevel.Information, "Clock offset to {Mode} upstream is {OffsetMs} ms (round trip {RoundTripMs} ms)", EventName = "ClockSynced")]
    public static partial void ClockSynced(ILogger logger, string mode, long offsetMs, long roundTripMs);

    [LoggerMessage(401, LogLevel.Warning, "Clock sync with {Mode} upstream failed: {Error}", EventName = "ClockSyncFailed")]
    public static partial void ClockSyncFailed(ILogger logger, string mode, string error);

    [LoggerMessage(402, LogLevel.Warning, "{Mode} upstream rejected a {Method} timestamp (-1021); clock re-measured, request re-signed and retried: {Retried}", EventName = "TimestampRejected")]
    public static partial void TimestampRejected(ILogger logger, string mode, string method, bool retried);

    [LoggerMessage(410, LogLevel.Information, "Key set {KeySet}: {Step} {Outcome} ({Fingerprint}, trigger {Trigger}): {Detail}", EventName = "KeyRotationStep")]
    public static partial void KeyRotationStep(ILogger logger, string keySet, string step, string outcome, string fingerprint, string trigger, string detail);

    [LoggerMessage(411, LogLevel.Warning, "Key set {KeySet}: {Detail}", EventName = "KeyWarning")]
    public static partial void KeyWarning(ILogger logger, string keySet, string detail);

    [LoggerMessage(412, LogLevel.Error, "Key set {KeySet}: reading the secrets source failed: {Detail}", EventName = "KeySourceFailed")]
    public static partial void KeySourceFailed(ILogger logger, string keySet, string detail);

    [LoggerMessage(310, LogLevel.Warning, "Circuit breaker {Breaker} opened for {Seconds} s: the upstream is failing", EventName = "BreakerOpened")]
    public static partial void BreakerOpened(ILogger logger, string breaker, string seconds);

    [LoggerMessage(311, LogLevel.Information, "Circuit breaker {Breaker} closed: the upstream answers again", EventName = "BreakerClosed")]
    public static partial void BreakerClosed(ILogger logger, string breaker);

    [LoggerMessage(312, LogLevel.Warning, "Order {ClientOrderId} for bot {Bot}: outcome unknown ({Cause}); looked it up: {Resolution}", EventName = "OrderOutcomeResolved")]
    public static partial void OrderOutcomeResolved(ILogger logger, string bot, string clientOrderId, string cause, string resolution);

    [LoggerMessage(500, LogLevel.Error, "Audit store {Store} unavailable ({Error}: {Message}); spooling to the data dir until it returns", EventName = "AuditStoreUnavailable")]
    public static partial void AuditStoreUnavailable(ILogger logger, string store, string error, string message);

    [LoggerMessage(501, LogLevel.Information, "Audit store {Store} available; chain at row {Sequence}", EventName = "AuditStoreAvailable")]
    public static partial void AuditStoreAvailable(ILogger logger, string store, long sequence);

    [LoggerMessage(502, LogLevel.Information, "Audit spool replayed: {Written} written, {Skipped} already present", EventName = "AuditSpoolReplayed")]
    public static partial void AuditSpoolReplayed(ILogger logger, int written, int skipped);
}
