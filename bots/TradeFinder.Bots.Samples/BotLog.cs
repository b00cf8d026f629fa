namespace TradeFinder.Bots.Samples;

/// <summary>Decisions and progress, structured.</summary>
internal static partial class BotLog
{
    [LoggerMessage(1, LogLevel.Information, "{Strategy} on {Symbol}: starting ({Detail})", EventName = "Starting")]
    public static partial void Starting(ILogger logger, string strategy, string symbol, string detail);

    [LoggerMessage(2, LogLevel.Information, "{Strategy} on {Symbol}: {Decision} at {Price} ({Reason})", EventName = "Decision")]
    public static partial void Decision(ILogger logger, string strategy, string symbol, string decision, decimal price, string reason);

    [LoggerMessage(3, LogLevel.Information, "{Strategy} on {Symbol}: price {Price}, position {Position}, unrealized {Unrealized}, PnL since start {Pnl}, open orders {OpenOrders}", EventName = "Progress")]
    public static partial void Progress(ILogger logger, string strategy, string symbol, decimal price, decimal position, decimal unrealized, decimal pnl, int openOrders);

    [LoggerMessage(4, LogLevel.Information, "{Strategy} on {Symbol}: stopped; canceled {Canceled} open orders", EventName = "Stopped")]
    public static partial void Stopped(ILogger logger, string strategy, string symbol, int canceled);

    [LoggerMessage(5, LogLevel.Warning, "{Strategy} on {Symbol}: step failed ({Code}: {Message}); trying again next step", EventName = "StepFailed")]
    public static partial void StepFailed(ILogger logger, string strategy, string symbol, int code, string message);
}
