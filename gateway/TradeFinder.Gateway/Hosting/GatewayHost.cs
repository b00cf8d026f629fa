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
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Health;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Upstream;
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
        var hardening = ProcessHardening.DisableCoreDumps();
        if (hardening is not null)
        {
            warnings.Add("Core dumps could not be disabled: " + hardening);
        }

        var paths = GatewayPaths.From(configuration);
        SecureFiles.EnsureDirectory(paths.DataDir);
        var ca = CertificateAuthority.LoadOrCreate(paths, time);
        var serverCertificate = ca.LoadOrIssueServerCertificate();
        var tls = new GatewayTls(ca.Certificate, serverCertificate, ca.ChainsToThisCa(serverCertificate));
        var keysOptions = KeysServiceCollectionExtensions.BindKeysOptions(configuration);
        var keySets = Fail(() => KeyLoader.SetsFor(keysOptions, mode, warnings));
        WarnAboutIgnoredKeys(configuration, mode, keysOptions, warnings);
        var keyProvider = keySets.Count > 0 ? Fail(() => KeyLoader.CreateProvider(keysOptions, configuration, time)) : null;
        builder.AddGatewayLogging(paths);
        var audit = builder.Services.AddGatewayAudit(configuration, paths);

        using var paperKey = EnvironmentKeyProvider.GeneratePaperKey();
        var paper = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(paperKey.ApiKey, paperKey.Secret.ToArray())],
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
        var restrictions = new Dictionary<TradingMode, Uri?> { [TradingMode.Paper] = paper.BaseAddress };
        if (mode != TradingMode.Paper)
        {
            upstreams[mode] = upstreamOverride ?? ExchangeEndpoints.For(mode);
            restrictions[mode] = upstreamOverride ?? ExchangeEndpoints.RestrictionsHost(mode);
        }

        KeyRing keys;
        try
        {
            keys = await KeyLoader.LoadAsync(keyProvider!, keySets, paperKey, upstreams, time, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyMaterialException ex)
        {
            (keyProvider as IDisposable)?.Dispose();
            await paper.DisposeAsync().ConfigureAwait(false);
            throw new GatewayStartupException(ex.Message);
        }

        var directory = new UpstreamDirectory(mode, upstreams);
        ConfigureKestrel(builder, options, tls, audit, time);

        var services = builder.Services;
        services.TryAddSingleton(time);
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton(paths);
        services.AddSingleton(ca);
        services.AddSingleton(tls);
        services.AddSingleton(directory);
        services.AddSingleton(_ => new HostedPaperExchange(paper)); // container-owned, so disposal also stops it
        services.AddHostedService(sp => sp.GetRequiredService<HostedPaperExchange>());
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsCustomValidator>());
        services.AddGatewayPipeline(directory, configuration);
        services.AddGatewayKeys(keys, new KeyCheckHosts(restrictions), configuration);
        services.AddGatewayHealth();
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseGatewayPipeline();
        app.MapHealthEndpoints();
        app.MapGatewayMetrics();
        app.MapAdminApi();
        app.MapAdminBotsApi();
        app.MapAdminKeysApi();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TradeFinder.Gateway");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var warning in warnings)
            {
                GatewayLog.StartupWarning(logger, warning);
            }

            GatewayLog.Started(logger, mode.ToConfigValue(), options.BotsEndpoint, options.OpsEndpoint,
                string.Join(", ", upstreams.Select(u => $"{u.Key.ToConfigValue()}={u.Value.GetLeftPart(UriPartial.Authority)}")));
        });
        return app;
    }

    private static T Fail<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (KeyMaterialException ex)
        {
            throw new GatewayStartupException(ex.Message);
        }
    }

    /// <summary>Key variables for a mode the gateway does not serve are never read; say so, naming only the variables.</summary>
    private static void WarnAboutIgnoredKeys(ConfigurationManager configuration, TradingMode mode, KeysOptions keys, List<string> warnings)
    {
        bool IsSet(string name) => !string.IsNullOrWhiteSpace(configuration[name]);
        var live = EnvironmentKeyProvider.VariablesFor(TradingMode.Live);
        var testnet = EnvironmentKeyProvider.VariablesFor(TradingMode.Testnet);
        var liveSet = IsSet(live.Key) || IsSet(live.Secret) || IsSet(live.PrivateKeyFile);
        var testnetSet = IsSet(testnet.Key) || IsSet(testnet.Secret) || IsSet(testnet.PrivateKeyFile);
        switch (mode)
        {
            case TradingMode.Live when testnetSet:
                warnings.Add($"{testnet.Key}/{testnet.Secret} are set but ignored: TRADING_MODE=live uses only the production key.");
                break;
            case TradingMode.Testnet when liveSet:
                warnings.Add($"{live.Key}/{live.Secret} are set but ignored: TRADING_MODE=testnet never uses the production key.");
                break;
            case TradingMode.Paper when liveSet || testnetSet:
                warnings.Add("Exchange keys are set in the environment but ignored: TRADING_MODE=paper trades only against the built-in simulator.");
                break;
        }

        if (keys.Provider != "env" && mode != TradingMode.Paper && (mode == TradingMode.Live ? liveSet : testnetSet))
        {
            warnings.Add($"Exchange key variables are set but ignored: Gateway:Keys:Provider={keys.Provider}.");
        }
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
                            ["sha256"] = BotRegistry.Thumbprint(certificate),
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
