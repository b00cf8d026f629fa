using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Dashboard;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Health;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Streams;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// The composition root. Start-up in five steps, each of which can refuse the start before a port opens:
/// checks from configuration, TLS material, key sets, the paper upstream, keys bound to their upstreams; then
/// Kestrel, every capability's services, and the request pipeline (<see cref="GatewayPipeline"/>).
/// </summary>
internal static class GatewayHost
{
    public static async Task<WebApplication> BuildAsync(
        string[] args,
        Action<IConfigurationBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null,
        TimeProvider? time = null,
        Uri? inProcessUpstream = null,
        bool ownsProcess = false,
        CancellationToken cancellationToken = default)
    {
        // Settings ship next to the binary; the working directory is only where the data dir defaults to.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // Exchange secrets in the environment are read as bytes by the key provider, never as configuration strings.
        ProcessEnvironment.KeepSecretsOutOf(builder.Configuration);
        configure?.Invoke(builder.Configuration);
        var configuration = builder.Configuration;
        time ??= TimeProvider.System;

        var startup = StartupChecks.Run(configuration, inProcessUpstream);
        if (ownsProcess)
        {
            GatewayKestrel.PreferInlineCompletions(startup.Listeners); // before the first socket: the paper exchange, the key checks
        }

        var paths = GatewayPaths.From(configuration);
        SecureFiles.EnsureDirectory(paths.DataDir);
        SecureFiles.TightenDirectory(paths.DataDir);

        var started = new StartedResources(paths, time);
        await using (started.ConfigureAwait(false))
        {
            started.Tls = GatewayTls.Load(CertificatePaths.From(paths, startup.Tls), time, startup.Tls.ServerNames);
            using var keys = KeyBootstrap.Prepare(configuration, startup.Mode, time, startup.Warnings);
            started.Paper = await PaperUpstream.StartAsync(startup.Paper, paths, keys.PaperKey.ApiKey, keys.PaperKey.Secret, time, cancellationToken)
                .ConfigureAwait(false);
            var (upstreams, restrictionHosts) = startup.Upstreams(started.Paper.BaseAddress);
            started.Upstreams = upstreams;
            started.KeyCheckHosts = new KeyCheckHosts(restrictionHosts);
            started.Keys = await keys.LoadAsync(upstreams.Upstreams, cancellationToken).ConfigureAwait(false);

            builder.AddGatewayLogging(paths);
            GatewayKestrel.Configure(builder, startup, started.Tls, time);
            builder.Services.AddGateway(configuration, started);
            configureServices?.Invoke(builder.Services);
            var app = builder.Build();

            // The container disposes a factory-made singleton only once it was resolved: resolve what start-up made
            // now, so disposing a gateway that never started still stops the paper exchange and releases the keys.
            _ = app.Services.GetRequiredService<HostedPaperExchange>();
            _ = app.Services.GetRequiredService<KeyRing>();
            started.HandOver();

            app.UseGatewayPipeline();
            app.MapHealthEndpoints();
            app.MapGatewayMetrics();
            app.MapAdminApi();
            app.MapAdminBotsApi();
            app.MapAdminKeysApi();
            app.MapUserStreams();
            app.MapMarketStreams();
            app.MapLivePage();
            LogStart(app, startup, upstreams.Upstreams);
            return app;
        }
    }

    private static void LogStart(WebApplication app, StartupChecks startup, IReadOnlyDictionary<TradingMode, Uri> upstreams)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TradeFinder.Gateway");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var warning in startup.Warnings)
            {
                HostingLog.StartupWarning(logger, warning);
            }

            HostingLog.Started(logger, startup.Mode.ToConfigValue(), startup.Listeners.BotsEndpoint, startup.Listeners.OpsEndpoint,
                string.Join(", ", upstreams.Select(u => $"{u.Key.ToConfigValue()}={u.Value.GetLeftPart(UriPartial.Authority)}")));
        });
    }
}
