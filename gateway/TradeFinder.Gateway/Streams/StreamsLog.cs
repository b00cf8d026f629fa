namespace TradeFinder.Gateway.Streams;

/// <summary>Stream log events (ids 330-339).</summary>
internal static partial class StreamsLog
{
    [LoggerMessage(330, LogLevel.Information, "User-data stream of account {Account} connected", EventName = "UserStreamConnected")]
    public static partial void UpstreamConnected(ILogger logger, string account);

    [LoggerMessage(331, LogLevel.Warning, "User-data stream of account {Account} lost: {Reason}; reconnecting", EventName = "UserStreamLost")]
    public static partial void UpstreamLost(ILogger logger, string account, string reason);

    [LoggerMessage(332, LogLevel.Warning, "Bot {Bot}'s user-data connection ended by the gateway: {Reason}", EventName = "BotStreamEnded")]
    public static partial void BotStreamEnded(ILogger logger, string bot, string reason);
}
