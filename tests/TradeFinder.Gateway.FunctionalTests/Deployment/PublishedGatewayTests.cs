using System.Diagnostics;
using System.Runtime.InteropServices;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Deployment;

/// <summary>
/// The publish output the image is built from runs under the image's constraints: as a non-root user, from an
/// install directory it cannot write, with its state in a data dir elsewhere; it answers its own health check
/// and stops cleanly on SIGTERM.
/// </summary>
public sealed class PublishedGatewayTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly string _root = TempDirectory.Create("tf-publish");

    public void Dispose() => TempDirectory.Delete(_root);

    [LinuxFact]
    public async Task PublishedGateway_RunsAsNonRoot_FromAReadOnlyInstall_AndStopsOnSigterm()
    {
        var app = Path.Combine(_root, "app");
        var data = Path.Combine(_root, "data");
        await RunAsync("dotnet", ["publish", Path.Combine(SourceTree.Root, "gateway", "TradeFinder.Gateway", "TradeFinder.Gateway.csproj"), "-c", "Release", "-o", app, "--nologo", "-v", "quiet"]);
        Directory.CreateDirectory(data);
        var asRoot = System.Environment.UserName == "root";
        if (asRoot)
        {
            // The install belongs to root and is read-only to everyone; only the data dir is the gateway's.
            await RunAsync("chmod", ["-R", "a-w", app]);
            await RunAsync("chmod", ["a+rx", _root]);
            await RunAsync("chown", [$"{Nobody}:{Nobody}", data]);
        }

        var ops = GatewayTestHost.FreePort();
        var gateway = Start(app, data, ops, asRoot);
        try
        {
            var healthy = false;
            for (var attempt = 0; attempt < 60 && !healthy && !gateway.HasExited; attempt++)
            {
                healthy = await RunAsync(System.Environment.ProcessPath!, [Path.Combine(app, "TradeFinder.Gateway.dll"), "health"], Settings(data, ops), check: false) == 0;
                if (!healthy)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(healthy, "the published gateway never answered its health check: " + (gateway.HasExited ? await gateway.StandardError.ReadToEndAsync() : "still starting"));
            var uid = File.ReadAllLines($"/proc/{gateway.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            Assert.Contains(asRoot ? Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", uid, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "certs", "ca.key")));
            Assert.DoesNotContain(Directory.GetFiles(app, "*", SearchOption.AllDirectories), f => File.GetLastWriteTimeUtc(f) > gateway.StartTime.ToUniversalTime());

            // HOME is the data dir here: no framework key ring (ASP.NET Core Data Protection writes one there by default).
            Assert.False(Directory.Exists(Path.Combine(data, ".aspnet")), "a Data Protection key ring was written under HOME");

            var stopping = Stopwatch.StartNew();
            Assert.Equal(0, Kill(gateway.Id, 15));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await gateway.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, gateway.ExitCode);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
        }
        finally
        {
            if (!gateway.HasExited)
            {
                gateway.Kill(entireProcessTree: true);
            }

            gateway.Dispose();
        }
    }

    private static Dictionary<string, string> Settings(string data, int ops) => new()
    {
        ["TRADEFINDER_DATA"] = data,
        ["TRADING_MODE"] = "paper",
        ["Gateway__BotsEndpoint"] = "127.0.0.1:" + GatewayTestHost.FreePort(),
        ["Gateway__AdminEndpoint"] = "127.0.0.1:" + GatewayTestHost.FreePort(),
        ["Gateway__OpsEndpoint"] = "127.0.0.1:" + ops,
        ["DOTNET_EnableDiagnostics"] = "0",
    };

    private static Process Start(string app, string data, int ops, bool asRoot)
    {
        var dotnet = System.Environment.ProcessPath!;
        var start = asRoot
            ? new ProcessStartInfo("setpriv", ["--reuid", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), "--regid", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clear-groups", "--", dotnet, Path.Combine(app, "TradeFinder.Gateway.dll")])
            : new ProcessStartInfo(dotnet, [Path.Combine(app, "TradeFinder.Gateway.dll")]);
        start.WorkingDirectory = data;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in Settings(data, ops))
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_CLI_HOME"] = data;
        start.Environment["HOME"] = data;
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private static async Task<int> RunAsync(string file, string[] args, Dictionary<string, string>? environment = null, bool check = true)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
        }

        return process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
