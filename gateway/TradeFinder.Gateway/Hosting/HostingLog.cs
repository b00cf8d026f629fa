namespace TradeFinder.Gateway.Hosting;

/// <summary>Start-up log events (ids 1xx).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(100, LogLevel.Information, "TradeFinder Gateway started in {Mode} mode; bots on {BotsEndpoint}, health on {OpsEndpoint}; upstreams: {Upstreams}", EventName = "GatewayStarted")]
    public static partial void Started(ILogger logger, string mode, string botsEndpoint, string opsEndpoint, string upstreams);

    [LoggerMessage(101, LogLevel.Warning, "{Warning}", EventName = "StartupWarning")]
    public static partial void StartupWarning(ILogger logger, string warning);
}
