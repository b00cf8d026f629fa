using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Health;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Routing;
using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// The composition root. Everything that can refuse to start (mode, keys, TLS material, options) is checked
/// here, before a port opens; the request pipeline itself is laid out in <see cref="GatewayPipeline"/>.
/// </summary>
internal static class GatewayHost
{
    public static async Task<WebApplication> BuildAsync(
        string[] args,
        Action<IConfigurationBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        // Settings ship next to the binary; the working directory is only where the data dir defaults to.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);
        var configuration = builder.Configuration;

        if (!TradingModes.TryParse(configuration[TradingModes.VariableName], out var mode))
        {
            throw new GatewayStartupException(
                $"{TradingModes.VariableName} must be one of: {string.Join(", ", TradingModes.AllowedValues)} (unset means paper).");
        }

        var options = BindOptions(configuration);
        var warnings = new List<string>();
        var upstreamOverride = UpstreamOverride.Parse(configuration[UpstreamOverride.VariableName]);
        if (upstreamOverride is not null && mode == TradingMode.Paper)
        {
            warnings.Add($"{UpstreamOverride.VariableName} is ignored in paper mode: the built-in simulator is the upstream.");
        }

        var time = TimeProvider.System;
        var paths = GatewayPaths.From(configuration);
        SecureFiles.EnsureDirectory(paths.DataDir);
        var ca = CertificateAuthority.LoadOrCreate(paths, time);
        var serverCertificate = ca.LoadOrIssueServerCertificate();
        var tls = new GatewayTls(ca.Certificate, serverCertificate, ca.ChainsToThisCa(serverCertificate));
        var credentials = EnvironmentKeyLoader.Load(configuration, mode, warnings);
        builder.AddGatewayLogging(paths);
        var audit = builder.Services.AddGatewayAudit(configuration, paths);

        foreach (var served in credentials.Modes)
        {
            credentials.TryGet(served, out var credential);
            credential.RegisterWithRedactor();
        }

        credentials.TryGet(TradingMode.Paper, out var paperKey);
        var paper = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(paperKey.ApiKey, paperKey.CopySecretForSimulator())],
            StartingBalance = options.PaperStartingBalance,
            JournalEnabled = options.PaperJournal,
            StatePath = paths.PaperState,
            Limits = new PaperExchange.Limits.RateLimitSettings { WeightPerMinute = options.PaperWeightPerMinute },
            Seed = options.PaperSeed,
            KlineReplays = options.PaperReplays,
            Quiet = true,
        }, time, cancellationToken).ConfigureAwait(false);

        SecureFiles.WriteAllText(paths.PaperEndpoint, paper.BaseAddress.ToString());
        var upstreams = new Dictionary<TradingMode, Uri> { [TradingMode.Paper] = paper.BaseAddress };
        foreach (var served in credentials.Modes.Where(m => m != TradingMode.Paper))
        {
            upstreams[served] = upstreamOverride ?? ExchangeEndpoints.For(served);
        }

        var directory = new UpstreamDirectory(mode, upstreams);
        ConfigureKestrel(builder, options, tls, audit, time);

        var services = builder.Services;
        services.TryAddSingleton(time);
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton(paths);
        services.AddSingleton(ca);
        services.AddSingleton(tls);
        services.AddSingleton(credentials);
        services.AddSingleton(directory);
        services.AddSingleton(_ => new HostedPaperExchange(paper)); // container-owned, so disposal also stops it
        services.AddHostedService(sp => sp.GetRequiredService<HostedPaperExchange>());
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsCustomValidator>());
        services.AddGatewayPipeline(directory, configuration);
        services.AddGatewayHealth();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseGatewayPipeline();
        app.MapHealthEndpoints();
        app.MapAdminApi();
        app.MapAdminBotsApi();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TradeFinder.Gateway");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var warning in warnings)
            {
                GatewayLog.StartupWarning(logger, warning);
            }

            foreach (var served in credentials.Modes.Where(m => m != TradingMode.Paper))
            {
                credentials.TryGet(served, out var key);
                GatewayLog.KeyLoaded(logger, served.ToConfigValue(), key.Fingerprint);
            }

            GatewayLog.Started(logger, mode.ToConfigValue(), options.BotsEndpoint, options.OpsEndpoint,
                string.Join(", ", upstreams.Select(u => $"{u.Key.ToConfigValue()}={u.Value.GetLeftPart(UriPartial.Authority)}")));
        });
        return app;
    }

    private static GatewayOptions BindOptions(ConfigurationManager configuration)
    {
        // Kestrel needs the endpoints before the container exists, so the same validators run here too.
        var options = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var failures = new List<string>();
        foreach (var validator in new IValidateOptions<GatewayOptions>[] { new GatewayOptionsValidator(), new GatewayOptionsCustomValidator() })
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? []);
            }
        }

        return failures.Count == 0 ? options : throw new GatewayStartupException("Invalid gateway settings: " + string.Join(" ", failures));
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, GatewayOptions options, GatewayTls tls, AuditTrail audit, TimeProvider time)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Listen(ParseEndpoint(options.BotsEndpoint), listen => MutualTls(listen, Listener.Bots, ClientRole.Bot));
            kestrel.Listen(ParseEndpoint(options.AdminEndpoint), listen => MutualTls(listen, Listener.Admin, ClientRole.Admin));
            kestrel.Listen(ParseEndpoint(options.OpsEndpoint), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.TagListener(Listener.Ops);
            });
        });

        void MutualTls(ListenOptions listen, Listener listener, ClientRole role)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = tls.ServerCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                SslProtocols = options.AllowTls12 ? SslProtocols.Tls12 | SslProtocols.Tls13 : SslProtocols.Tls13,
                CheckCertificateRevocation = false,
                ClientCertificateValidation = (certificate, _, _) =>
                {
                    if (ClientCertificateValidator.IsAcceptable(certificate, tls.Ca, role))
                    {
                        return true;
                    }

                    // Refused in the handshake: no HTTP request will exist, so the audit record is made here.
                    audit.Write(new AuditRecord
                    {
                        OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                        Type = AuditEventTypes.AuthFailure,
                        Bot = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
                        Endpoint = listener.ToString(),
                        Outcome = "handshake refused",
                        Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
                        {
                            ["subject"] = certificate.Subject,
                            ["issuer"] = certificate.Issuer,
                            ["sha256"] = Identity.BotRegistry.Thumbprint(certificate),
                        }),
                    });
                    return false;
                },
            });
            listen.TagListener(listener);
        }
    }

    internal static IPEndPoint ParseEndpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        var host = value[..colon].Trim('[', ']');
        var port = int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new GatewayStartupException($"'{value}' is not an IP:port endpoint (use an address such as 127.0.0.1:8443).");
    }
}
