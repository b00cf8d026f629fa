using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Logging;

/// <summary>
/// Serilog, structured JSON to the console and a rolling file in the data dir, every sink behind the
/// redaction layer; events carry trace id, request id, bot, route and mode from the log context.
/// </summary>
internal static class GatewayLogging
{
    public static void AddGatewayLogging(this WebApplicationBuilder builder, GatewayPaths paths)
    {
        builder.Logging.ClearProviders();
        // The gateway owns its logger (never the static Log.Logger), so several hosts in one process stay apart.
        // Quiet defaults first; configuration (Serilog:MinimumLevel) may raise them. Redaction holds either way.
        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
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
