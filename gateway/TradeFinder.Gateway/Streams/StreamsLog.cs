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

    [LoggerMessage(333, LogLevel.Information, "Market streams of {Mode} connected to {Url}", EventName = "MarketStreamConnected")]
    public static partial void MarketUpstreamConnected(ILogger logger, string mode, string url);

    [LoggerMessage(334, LogLevel.Warning, "Market streams of {Mode} at {Url} lost: {Reason}; reconnecting", EventName = "MarketStreamLost")]
    public static partial void MarketUpstreamLost(ILogger logger, string mode, string url, string reason);

    [LoggerMessage(335, LogLevel.Warning, "The {Mode} exchange refused a market stream request: {Answer}", EventName = "MarketStreamRefused")]
    public static partial void MarketUpstreamRefused(ILogger logger, string mode, string answer);

    [LoggerMessage(336, LogLevel.Warning, "Bot {Bot}'s market connection ended by the gateway: {Reason}", EventName = "BotMarketStreamEnded")]
    public static partial void BotMarketStreamEnded(ILogger logger, string bot, string reason);
}
