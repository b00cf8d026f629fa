namespace TradeFinder.Gateway.Keys;

/// <summary>Key custody log events (ids 410-429); key material never appears, only fingerprints.</summary>
internal static partial class KeysLog
{
    [LoggerMessage(410, LogLevel.Information, "Key set {KeySet}: {Step} {Outcome} ({Fingerprint}, trigger {Trigger}): {Detail}", EventName = "KeyRotationStep")]
    public static partial void KeyRotationStep(ILogger logger, string keySet, string step, string outcome, string fingerprint, string trigger, string detail);

    [LoggerMessage(411, LogLevel.Warning, "Key set {KeySet}: {Detail}", EventName = "KeyWarning")]
    public static partial void KeyWarning(ILogger logger, string keySet, string detail);

    [LoggerMessage(412, LogLevel.Error, "Key set {KeySet}: reading the secrets source failed: {Detail}", EventName = "KeySourceFailed")]
    public static partial void KeySourceFailed(ILogger logger, string keySet, string detail);

    [LoggerMessage(414, LogLevel.Error, "Key set {KeySet}: key {Fingerprint} taken out of service, it signs nothing until a check passes: {Detail}", EventName = "KeyTakenOutOfService")]
    public static partial void KeyTakenOutOfService(ILogger logger, string keySet, string fingerprint, string detail);

    [LoggerMessage(413, LogLevel.Information, "Exchange key set {KeySet} ({Mode}, {Purpose}, group {Group}, {KeyType}) from {Provider} validated and in service: {Fingerprint}", EventName = "KeyInService")]
    public static partial void KeyInService(ILogger logger, string keySet, string mode, string purpose, string group, string keyType, string provider, string fingerprint);

    [LoggerMessage(415, LogLevel.Error, "Key set {KeySet}: the exchange rejected active key {Fingerprint} ({Code}); promoting the standby", EventName = "ActiveKeyRejected")]
    public static partial void ActiveKeyRejected(ILogger logger, string keySet, string fingerprint, int code);

    [LoggerMessage(416, LogLevel.Critical, "Key set {KeySet}: the standby could not be promoted ({Outcome}); requests signed by this set fail until a key is rotated in", EventName = "StandbyFailed")]
    public static partial void StandbyFailed(ILogger logger, string keySet, string outcome);

    [LoggerMessage(420, LogLevel.Information, "Key set {KeySet}: following a {Action} made on another replica ({Outcome})", EventName = "KeyChangeFollowed")]
    public static partial void KeyChangeFollowed(ILogger logger, string keySet, string action, string outcome);

    [LoggerMessage(422, LogLevel.Error, "Key set {KeySet}: another replica's {Action} put {Wanted} in service, but this replica could not follow and still signs with {Actual}; check its secrets source and rotate it", EventName = "KeyChangeNotFollowed")]
    public static partial void KeyChangeNotFollowed(ILogger logger, string keySet, string action, string wanted, string actual);

    [LoggerMessage(421, LogLevel.Warning, "Key changes of other replicas not heard ({Error}: {Message}); retrying", EventName = "KeyChangesLost")]
    public static partial void KeyChangesLost(ILogger logger, string error, string message);
}
