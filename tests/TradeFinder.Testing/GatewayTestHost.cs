using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Cli;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Paper;
using TradeFinder.PaperExchange.Diagnostics;

namespace TradeFinder.Testing;

/// <summary>
/// A real gateway on loopback: Kestrel with TLS 1.3 and required client certificates, YARP, and the hosted
/// paper exchange, in a throw-away data dir. Ports are ephemeral so tests can run side by side.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;

    private GatewayTestHost(WebApplication app, string dataDir, bool ownsDataDir, IReadOnlyDictionary<string, string?> settings)
    {
        _app = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Settings = settings;
        (BotsAddress, AdminAddress, OpsAddress) = Addresses(settings);
    }

    public Uri BotsAddress { get; }

    public Uri AdminAddress { get; }

    public Uri OpsAddress { get; }

    public string DataDir { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>What the hosted paper exchange received (journal is enabled for tests).</summary>
    public RequestJournal PaperJournal => _app.Services.GetRequiredService<HostedPaperExchange>().Server.Journal;

    public string CaCertificatePath => Path.Combine(DataDir, "certs", "ca.crt");

    /// <summary>Settings every test host starts from: paper mode, ephemeral ports, no keys from the environment.</summary>
    public static Dictionary<string, string?> BaseSettings(string dataDir) => new()
    {
        ["TRADING_MODE"] = "paper",
        ["TRADEFINDER_DATA"] = dataDir,
        ["TRADEFINDER_UPSTREAM_OVERRIDE"] = "",
        ["BINANCE_API_KEY"] = "",
        ["BINANCE_SECRET"] = "",
        ["BINANCE_TESTNET_API_KEY"] = "",
        ["BINANCE_TESTNET_SECRET"] = "",
        ["Gateway:BotsEndpoint"] = "127.0.0.1:" + TestPorts.Next(),
        ["Gateway:AdminEndpoint"] = "127.0.0.1:" + TestPorts.Next(),
        ["Gateway:OpsEndpoint"] = "127.0.0.1:" + TestPorts.Next(),
        ["Gateway:PaperJournal"] = "true",
        ["DOTNET_EnableDiagnostics"] = "0", // as the images set it; live mode refuses to start without it
        ["Logging:LogLevel:Default"] = "Warning",
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };

    /// <summary>Every log level at its most verbose, for canary tests: a secret must not leak even there.</summary>
    public static IReadOnlyDictionary<string, string?> EverythingLogged { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Serilog:MinimumLevel:Default"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Yarp"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
        ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Verbose",
    };

    /// <summary>
    /// Starts a gateway. With <paramref name="time"/> (e.g. a <c>FakeTimeProvider</c> set to now, so certificates
    /// stay valid) every clock of the gateway and its paper exchange is the test's, and waits become advances.
    /// </summary>
    public static async Task<GatewayTestHost> StartAsync(IDictionary<string, string?>? overrides = null, string? dataDir = null, TimeProvider? time = null)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= TempDirectory.Create("tf-gw");
        for (var attempt = 1; ; attempt++)
        {
            var settings = BaseSettings(dataDir);
            foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            // Live refuses the environment override; the simulator is handed over in code, as only an in-process host can.
            Uri? inProcessUpstream = null;
            if (settings.GetValueOrDefault("TRADING_MODE") == "live" && settings.GetValueOrDefault("TRADEFINDER_UPSTREAM_OVERRIDE") is { Length: > 0 } upstream)
            {
                inProcessUpstream = new Uri(upstream);
                settings["TRADEFINDER_UPSTREAM_OVERRIDE"] = "";
            }

            WebApplication? app = null;
            try
            {
                app = await GatewayHost.BuildAsync([], c => c.AddInMemoryCollection(settings), time: time, inProcessUpstream: inProcessUpstream).ConfigureAwait(false);
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (IOException) when (app is not null && attempt < 3)
            {
                // Something outside the test processes (which never share a port, TestPorts) took one of the ports
                // picked above between picking and binding: pick again.
                await app.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            catch
            {
                // A start the test expects to be refused: nothing of it is left behind. One refused at start still
                // opened its stores and log: closed now, not when the test process ends.
                if (app is not null)
                {
                    await app.StopAsync().ConfigureAwait(false);
                    await app.DisposeAsync().ConfigureAwait(false);
                }

                if (ownsDataDir)
                {
                    TempDirectory.Delete(dataDir);
                }

                throw;
            }

            return Started(new GatewayTestHost(app, dataDir, ownsDataDir, settings));
        }
    }

    private static GatewayTestHost Started(GatewayTestHost host)
    {

        // Start-up traffic (clock sync, exchangeInfo) is the gateway's own; tests look at what bots cause.
        host.PaperJournal.Clear();
        return host;
    }

    /// <summary>The bots, admin and ops addresses a gateway with <paramref name="settings"/> listens on.</summary>
    public static (Uri Bots, Uri Admin, Uri Ops) Addresses(IReadOnlyDictionary<string, string?> settings) =>
        (new Uri("https://127.0.0.1:" + settings["Gateway:BotsEndpoint"]!.Split(':')[1] + "/"),
         new Uri("https://127.0.0.1:" + settings["Gateway:AdminEndpoint"]!.Split(':')[1] + "/"),
         new Uri("http://127.0.0.1:" + settings["Gateway:OpsEndpoint"]!.Split(':')[1] + "/"));

    /// <summary>Runs an ops CLI verb against this host's data dir; returns exit code and output.</summary>
    public Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args) => CliAsync(Settings, args);

    /// <summary>Runs an ops CLI verb with a gateway's <paramref name="settings"/> (its data dir, endpoints, cluster), in this process.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> CliAsync(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(args, configuration, output, error).ConfigureAwait(false);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Issues and registers a bot certificate through the CLI, like an operator would.</summary>
    public const string AllScopes = "market:read,account:read,trade,trade:leverage,trade:margin,userstream";

    public async Task<X509Certificate2> IssueBotAsync(string name, string mode = "paper", string scopes = AllScopes)
    {
        var (code, _, error) = await CliAsync("certs", "issue", "--bot", name, "--mode", mode, "--scopes", scopes).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("certs issue failed: " + error);
        }

        return LoadBotCertificate(name);
    }

    public X509Certificate2 LoadBotCertificate(string name)
    {
        var dir = Path.Combine(DataDir, "certs", "bots", name);
        return Pem.LoadWithKey(Path.Combine(dir, name + ".crt"), Path.Combine(dir, name + ".key"));
    }

    /// <summary>A certificate signed by this gateway's CA but never registered.</summary>
    public X509Certificate2 IssueUnregisteredCertificate(string name)
    {
        using var ca = CertificateAuthority.LoadOrCreate(CertificatePaths.From(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build()), TimeProvider.System);
        var (certificate, key) = ca.IssueClient(ClientRole.Bot, name);
        using (certificate)
        using (key)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
        }
    }

    /// <summary>An HTTP client for the bot port that trusts this gateway's CA and presents <paramref name="clientCertificate"/>.</summary>
    public HttpClient CreateClient(X509Certificate2? clientCertificate) =>
        TestHttp.CreateMutualTlsClient(BotsAddress, X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath), clientCertificate);

    /// <summary>A WebSocket on the bot port's <paramref name="path"/> (e.g. <c>ws/KEY</c>), presenting <paramref name="clientCertificate"/>.</summary>
    public Task<System.Net.WebSockets.ClientWebSocket> ConnectWebSocketAsync(string path, X509Certificate2 clientCertificate) =>
        TestHttp.ConnectWebSocketAsync(new Uri("wss://127.0.0.1:" + BotsAddress.Port + "/" + path), X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath), clientCertificate);

    /// <summary>An HTTP client for the admin port presenting <paramref name="clientCertificate"/>.</summary>
    public HttpClient CreateAdminClient(X509Certificate2? clientCertificate) =>
        TestHttp.CreateMutualTlsClient(AdminAddress, X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath), clientCertificate);

    public async Task<X509Certificate2> IssueAdminAsync(string name)
    {
        var (code, _, error) = await CliAsync("certs", "issue", "--admin", name).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("certs issue --admin failed: " + error);
        }

        var dir = Path.Combine(DataDir, "certs", "admins", name);
        return Pem.LoadWithKey(Path.Combine(dir, name + ".crt"), Path.Combine(dir, name + ".key"));
    }

    /// <summary>Adds a fault rule to the hosted paper exchange (its loopback control API).</summary>
    public async Task InjectFaultAsync(object fault)
    {
        using var http = new HttpClient { BaseAddress = _app.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress };
        using var response = await http.PostAsync(new Uri("paper/control/faults", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(fault)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Pins a symbol's price in the hosted paper exchange (resting orders and triggers settle at once).</summary>
    public async Task PinPriceAsync(string symbol, decimal price)
    {
        using var http = new HttpClient { BaseAddress = _app.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress };
        using var response = await http.PostAsync(new Uri("paper/control/price", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new { symbol, price })).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Ends every listen key of the hosted paper exchange now, as if they had expired.</summary>
    public Task ExpireListenKeysAsync() => PaperControlAsync("listenKeys/expire");

    /// <summary>Places an order on the paper account as another client of the same key would (no gateway tag).</summary>
    public Task PlaceExternalOrderAsync(string query) => PaperControlAsync("externalOrder?" + query);

    /// <summary>Moves USDT in (positive) or out of the paper wallet outside trading, with the exchange's reason (WITHDRAW, ASSET_TRANSFER…).</summary>
    public Task TransferAsync(decimal amount, string reason) =>
        PaperControlAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"transfer?amount={amount}&reason={reason}"));

    /// <summary>Drops the paper exchange's user-data connections, keys still active, as a network failure would.</summary>
    public Task DropUserDataConnectionsAsync() => PaperControlAsync("userData/drop");

    private async Task PaperControlAsync(string action)
    {
        using var http = new HttpClient { BaseAddress = _app.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress };
        using var response = await http.PostAsync(new Uri("paper/control/" + action, UriKind.Relative), null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var http = new HttpClient { BaseAddress = _app.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress };
        using var response = await http.DeleteAsync(new Uri("paper/control/faults", UriKind.Relative)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public HttpClient CreateOpsClient() => new() { BaseAddress = OpsAddress, Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataDir)
        {
            TempDirectory.Delete(DataDir);
        }
    }
}
