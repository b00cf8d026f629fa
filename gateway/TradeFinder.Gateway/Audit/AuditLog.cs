namespace TradeFinder.Gateway.Audit;

/// <summary>Audit store log events (ids 5xx).</summary>
internal static partial class AuditLog
{
    [LoggerMessage(500, LogLevel.Error, "Audit store {Store} unavailable ({Error}: {Message}); spooling to the data dir until it returns", EventName = "AuditStoreUnavailable")]
    public static partial void AuditStoreUnavailable(ILogger logger, string store, string error, string message);

    [LoggerMessage(501, LogLevel.Information, "Audit store {Store} available; chain at row {Sequence}", EventName = "AuditStoreAvailable")]
    public static partial void AuditStoreAvailable(ILogger logger, string store, long sequence);

    [LoggerMessage(502, LogLevel.Information, "Audit spool replayed: {Written} written, {Skipped} already present", EventName = "AuditSpoolReplayed")]
    public static partial void AuditSpoolReplayed(ILogger logger, int written, int skipped);

    [LoggerMessage(503, LogLevel.Error, "{Problem}", EventName = "AuditSpoolReplayStopped")]
    public static partial void AuditSpoolReplayStopped(ILogger logger, string problem);

    [LoggerMessage(504, LogLevel.Warning, "Audit store {Store} could not copy its log into the database ({Error}: {Message}); trying again", EventName = "AuditLogCheckpointFailed")]
    public static partial void AuditLogCheckpointFailed(ILogger logger, string store, string error, string message);

    [LoggerMessage(510, LogLevel.Warning, "Audit checkpoint sink {Sink} did not take a checkpoint: {Reason}; retrying", EventName = "CheckpointSinkFailed")]
    public static partial void CheckpointSinkFailed(ILogger logger, string sink, string reason);
}
