using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.Gateway.Certificates;

namespace TradeFinder.Testing;

/// <summary>
/// One gateway replica as its own OS process (<c>dotnet TradeFinder.Gateway.dll</c>), configured only through the
/// environment as an operator would, with its own data dir. The first replica of a group makes the development CA; the
/// others are pointed at its CA and server certificate through the <c>Gateway__Tls__*</c> paths (the only files replicas
/// share). Output is kept for the failure message.
/// </summary>
public sealed class GatewayReplica : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _ownsDataDir;

    private GatewayReplica(Process process, string dataDir, bool ownsDataDir, IReadOnlyDictionary<string, string?> settings)
    {
        _process = process;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Settings = settings;
        (BotsAddress, AdminAddress, OpsAddress) = GatewayTestHost.Addresses(settings);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BotsAddress { get; }

    public Uri AdminAddress { get; }

    public Uri OpsAddress { get; }

    public string DataDir { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>What the process wrote so far (logs at the configured level).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private string CaCertificatePath => Settings.GetValueOrDefault("Gateway:Tls:CaCertificatePath") ?? Path.Combine(DataDir, "certs", "ca.crt");

    /// <summary>
    /// Starts a replica with <paramref name="overrides"/> over the test base settings; with <paramref name="sharedTls"/>
    /// (another replica) it uses that replica's CA and server certificate. Returns once <c>/healthz</c> answers.
    /// </summary>
    public static async Task<GatewayReplica> StartAsync(IDictionary<string, string?> overrides, GatewayReplica? sharedTls = null)
    {
        var dataDir = TempDirectory.Create("tf-replica");
        var settings = GatewayTestHost.BaseSettings(dataDir);
        settings["Gateway:PaperJournal"] = "false";
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        if (sharedTls is not null)
        {
            var certs = Path.Combine(sharedTls.DataDir, "certs");
            settings["Gateway:Tls:CaCertificatePath"] = Path.Combine(certs, "ca.crt");
            settings["Gateway:Tls:CaKeyPath"] = Path.Combine(certs, "ca.key");
            settings["Gateway:Tls:ServerCertificatePath"] = Path.Combine(certs, "server.crt");
            settings["Gateway:Tls:ServerKeyPath"] = Path.Combine(certs, "server.key");
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.Gateway.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = dataDir,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var replica = new GatewayReplica(Process.Start(start)!, dataDir, ownsDataDir: true, settings);
        using var ops = new HttpClient { BaseAddress = replica.OpsAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (replica.HasExited)
            {
                throw new InvalidOperationException($"replica exited at start ({replica._process.ExitCode}): {replica.Output}");
            }

            try
            {
                using var response = await ops.GetAsync(new Uri("healthz", UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return replica;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await replica.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException("replica did not answer /healthz within 90 s: " + replica.Output);
    }

    /// <summary>Runs an ops CLI verb against this replica's data dir and settings.</summary>
    public Task<(int ExitCode, string Output, string Error)> CliAsync(params string[] args) => GatewayTestHost.CliAsync(Settings, args);

    /// <summary>Issues and registers a bot certificate on this replica, as an operator would with its CLI.</summary>
    public async Task<X509Certificate2> IssueBotAsync(string name, string mode, string scopes = GatewayTestHost.AllScopes)
    {
        var (code, _, error) = await CliAsync("certs", "issue", "--bot", name, "--mode", mode, "--scopes", scopes).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("certs issue failed: " + error);
        }

        var dir = Path.Combine(DataDir, "certs", "bots", name);
        return Pem.LoadWithKey(Path.Combine(dir, name + ".crt"), Path.Combine(dir, name + ".key"));
    }

    /// <summary>Issues and registers an admin certificate (for CLI verbs that go through the admin API).</summary>
    public async Task IssueAdminAsync(string name)
    {
        var (code, _, error) = await CliAsync("certs", "issue", "--admin", name).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException("certs issue --admin failed: " + error);
        }
    }

    public HttpClient CreateClient(X509Certificate2 clientCertificate, int maxConnections = int.MaxValue) =>
        TestHttp.CreateMutualTlsClient(BotsAddress, X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath), clientCertificate, maxConnections: maxConnections);

    public HttpClient CreateOpsClient() => new() { BaseAddress = OpsAddress, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Ends the process at once, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
        if (_ownsDataDir)
        {
            TempDirectory.Delete(DataDir);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
