namespace TradeFinder.Gateway.Routing;

/// <summary>Routing log events (ids 30x).</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(300, LogLevel.Information, "Request refused for bot {Bot}: {Method} {Path}: {Reason}", EventName = "RequestNotRoutable")]
    public static partial void RequestNotRoutable(ILogger logger, string bot, string method, string path, string reason);
}
