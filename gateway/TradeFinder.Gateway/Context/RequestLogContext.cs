using Serilog.Core;
using Serilog.Events;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// What every log line written for a bot request carries: its request id, then bot, mode and route once the bot is
/// known. One object per request, pushed on Serilog's log context once: every push replaces the async-local execution
/// context (four pushes per request were half of the hop's async-local allocations, see docs/PERFORMANCE.md). Values are copied
/// in, never read from the <see cref="HttpContext"/>, so a line written by work the request started, after it ended,
/// still names its own request.
/// </summary>
internal sealed class RequestLogContext(string requestId) : ILogEventEnricher
{
    private Identified? _bot;

    /// <summary>Called once the client certificate named a bot; lines written from here on name it.</summary>
    public void Identify(string bot, string mode, string method, string? path) => _bot = new Identified(bot, mode, method, path);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("RequestId", requestId));
        if (_bot is { } bot)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Bot", bot.Name));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Mode", bot.Mode));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Route", bot.Method + " " + bot.Path));
        }
    }

    private sealed record Identified(string Name, string Mode, string Method, string? Path);
}
