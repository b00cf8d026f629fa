namespace TradeFinder.Gateway.Identity;

/// <summary>Bot authentication and registry log events (ids 2xx).</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(200, LogLevel.Warning, "Client refused: {Reason} (remote {Remote})", EventName = "CertificateRefused")]
    public static partial void CertificateRefused(ILogger logger, string reason, string remote);

    [LoggerMessage(201, LogLevel.Warning, "Bot {Bot} refused: status {Status}", EventName = "BotRefused")]
    public static partial void BotRefused(ILogger logger, string bot, string status);

    [LoggerMessage(210, LogLevel.Warning, "Shared registry notifications lost ({Error}: {Message}); requests use the registry last read, retrying", EventName = "RegistryNotificationsLost")]
    public static partial void RegistryNotificationsLost(ILogger logger, string error, string message);
}
