using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Logging;

/// <summary>
/// Serilog, structured JSON to the console and a rolling file in the data dir, every sink behind the
/// redaction layer; events carry request id, bot, route and mode from the log context, and the trace id when tracing is on.
/// </summary>
internal static class GatewayLogging
{
    /// <summary>Above every level Serilog has: a category set to it writes nothing and reports itself disabled.</summary>
    private const LogEventLevel Off = LogEventLevel.Fatal + 1;

    public static void AddGatewayLogging(this WebApplicationBuilder builder, GatewayPaths paths)
    {
        builder.Logging.ClearProviders();
        // The gateway owns its logger (never the static Log.Logger), so several hosts in one process stay apart.
        // Quiet defaults first; configuration (Serilog:MinimumLevel) may raise them. Redaction holds either way.
        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            // Hosting's request logger: while it is enabled at any level, ASP.NET Core starts an activity and a log scope for
            // every request, and HttpClient a child activity for every upstream call (≈ 2.7 KB per request) only to log
            // request start and end at Information. Our log context names the request, bot, mode and route; with tracing
            // on (OTLP) the activities are still started, for the tracer.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", Off)
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With<ActivityEnricher>()
            .WriteTo.Sink(new RedactingSink(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Console(new RenderedCompactJsonFormatter()).CreateLogger()))
            .WriteTo.Sink(new RedactingSink(CreateFileSink(paths))),
            preserveStaticLogger: true);
    }

    private static Logger CreateFileSink(GatewayPaths paths) => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .WriteTo.File(new CompactJsonFormatter(), Path.Combine(paths.LogsDir, "gateway-.json"),
            rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, fileSizeLimitBytes: 100 * 1024 * 1024, rollOnFileSizeLimit: true)
        .CreateLogger();

    /// <summary>Adds the current trace id so log lines join up with traces and audit records.</summary>
    private sealed class ActivityEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("TraceId", activity.TraceId.ToHexString()));
            }
        }
    }
}
