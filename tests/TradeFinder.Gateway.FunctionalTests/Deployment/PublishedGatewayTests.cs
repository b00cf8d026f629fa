using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Deployment;

/// <summary>
/// The gateway image's build, as infra/docker/Dockerfile writes it (no Docker here): its COPY lines fill a fresh build
/// context from this tree, its RUN lines run there with the image's /app and /data under a temporary directory. The
/// result runs under the image's constraints — as a non-root user, from an install it cannot write, with its state in
/// the data dir — started by the image's ENTRYPOINT and checked by its HEALTHCHECK; it serves a bot over mutual TLS
/// (the Native AOT build has only what the compiler kept) and stops cleanly on SIGTERM.
/// </summary>
public sealed partial class PublishedGatewayTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly string _root = TempDirectory.Create("tf-publish");

    public void Dispose() => TempDirectory.Delete(_root);

    [LinuxFact]
    public async Task TheImagesBuild_RunsAsNonRoot_FromAReadOnlyInstall_ServesABot_AndStopsOnSigterm()
    {
        var image = ImageStages.Read(Path.Combine(SourceTree.Root, "infra", "docker", "Dockerfile"));
        var app = Path.Combine(_root, "app");
        var data = Path.Combine(_root, "data");
        await BuildAsync(image.Build);
        Assert.True(File.Exists(Path.Combine(app, "TradeFinder.Gateway")), "the build stage left no executable in /app");
        Assert.Empty(Directory.GetFiles(app, "*.dll")); // compiled ahead of time: no IL for a JIT
        // Methods laid out from the profile in the tree (aot-method-order.txt), which the build context's COPY carried.
        var compilerArguments = File.ReadAllLines(Directory.GetFiles(_root, "TradeFinder.Gateway.ilc.rsp", SearchOption.AllDirectories).Single());
        Assert.Contains("--method-layout:explicit", compilerArguments);
        Assert.Contains(compilerArguments, a => a.StartsWith("--order:", StringComparison.Ordinal) && a.EndsWith("aot-method-order.txt", StringComparison.Ordinal));
        Directory.CreateDirectory(data);

        var asRoot = System.Environment.UserName == "root";
        if (asRoot)
        {
            // The install belongs to root and is read-only to everyone; only the data dir is the gateway's.
            await RunAsync("chmod", ["-R", "a-w", app]);
            await RunAsync("chmod", ["a+rx", _root]);
            await RunAsync("chown", [$"{Nobody}:{Nobody}", data]);
        }

        var (ops, bots) = (TestPorts.Next(), TestPorts.Next());
        var settings = Settings(data, ops, bots);
        var entrypoint = image.ExecForm("ENTRYPOINT").Select(MapPath).ToArray();
        var healthCheck = image.ExecForm("HEALTHCHECK").Select(MapPath).ToArray();
        var gateway = Start(entrypoint, data, settings, asRoot, out var errors);
        try
        {
            var healthy = false;
            for (var attempt = 0; attempt < 60 && !healthy && !gateway.HasExited; attempt++)
            {
                healthy = await RunAsync(healthCheck[0], healthCheck[1..], settings, check: false) == 0;
                if (!healthy)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(healthy, "the image's gateway never answered its health check: " + (gateway.HasExited ? await errors : "still starting"));
            var uid = File.ReadAllLines($"/proc/{gateway.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            Assert.Contains(asRoot ? Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", uid, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "certs", "ca.key")));

            // An operator issues a bot certificate with the same executable; the bot is served over mutual TLS.
            Assert.Equal(0, await RunAsUserAsync(entrypoint, ["certs", "issue", "--bot", "aot", "--mode", "paper", "--scopes", GatewayTestHost.AllScopes], data, settings, asRoot));
            await ServesABotAsync(data, bots);

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

    /// <summary>The exchange's time, a signed balance read, a market order (each through the whole pipeline), and a refusal in the exchange's error shape.</summary>
    private static async Task ServesABotAsync(string data, int bots)
    {
        var dir = Path.Combine(data, "certs", "bots", "aot");
        using var certificate = Pem.LoadWithKey(Path.Combine(dir, "aot.crt"), Path.Combine(dir, "aot.key"));
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "certs", "ca.crt"));
        using var bot = TestHttp.CreateMutualTlsClient(new Uri($"https://127.0.0.1:{bots}/"), ca, certificate);

        // The registry file is read again within a quarter second of the CLI's write.
        for (var attempt = 0; ; attempt++)
        {
            using var time = await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
            if (time.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(await time.Content.ReadAsStringAsync());
                Assert.True(json.RootElement.GetProperty("serverTime").GetInt64() > 0);
                break;
            }

            Assert.True(attempt < 40, $"the new bot was not let in: {(int)time.StatusCode} {await time.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }

        using (var balance = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
            using var json = JsonDocument.Parse(await balance.Content.ReadAsStringAsync());
            Assert.Contains(json.RootElement.EnumerateArray(), asset => asset.GetProperty("asset").GetString() == "USDT");
        }

        using (var order = await bot.PostAsync(new Uri("fapi/v1/order", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "MARKET", ["quantity"] = "0.002", ["newOrderRespType"] = "RESULT",
        })))
        {
            var body = await order.Content.ReadAsStringAsync();
            Assert.True(order.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("FILLED", json.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal((HttpStatusCode.BadRequest, -1102), await bot.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.002"));
    }

    /// <summary>The build stage's lines in order, in a fresh context: WORKDIR, ENV, COPY from this tree, RUN through bash.</summary>
    private async Task BuildAsync(IReadOnlyList<string> stage)
    {
        var context = Path.Combine(_root, "src");
        var environment = new Dictionary<string, string>();
        foreach (var line in stage)
        {
            var (instruction, rest) = (line.Split(' ', 2)[0], line.Split(' ', 2) is [_, var r] ? r.Trim() : "");
            switch (instruction)
            {
                case "WORKDIR":
                    context = MapPath(rest);
                    Directory.CreateDirectory(context);
                    break;
                case "ENV":
                    foreach (Match pair in EnvPair().Matches(rest))
                    {
                        environment[pair.Groups[1].Value] = pair.Groups[2].Value;
                    }

                    break;
                case "COPY":
                    var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    var target = Path.Combine(context, parts[^1]);
                    foreach (var source in parts[..^1])
                    {
                        Copy(source, target);
                    }

                    break;
                case "RUN":
                    // Below the other tests' priority: the ahead-of-time compile takes both cores for minutes.
                    await RunAsync("nice", ["-n", "19", "bash", "-euc", MapPaths(rest)], environment, workingDirectory: context);
                    break;
                case "FROM" or "ARG":
                    break;
                default:
                    throw new InvalidOperationException($"The image's build uses {instruction}, which this test does not emulate: {line}");
            }
        }
    }

    /// <summary>COPY of a file, a directory (sources only: what .dockerignore keeps out, bin/ and obj/, stays out) or a file-name glob.</summary>
    private static void Copy(string source, string target)
    {
        var from = Path.Combine(SourceTree.Root, source.TrimEnd('/'));
        if (Directory.Exists(from))
        {
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative.Split('/').Any(segment => segment is "bin" or "obj" or "node_modules"))
                {
                    continue;
                }

                var to = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }

            return;
        }

        var matches = Directory.GetFiles(Path.GetDirectoryName(from)!, Path.GetFileName(from));
        Assert.True(matches.Length > 0, $"COPY {source}: nothing in the tree matches");
        foreach (var file in matches)
        {
            var to = target.EndsWith('/') ? Path.Combine(target, Path.GetFileName(file)) : target;
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
    }

    private string MapPath(string imagePath) => imagePath.StartsWith('/') ? _root + imagePath : imagePath;

    private string MapPaths(string command) => ImageRoot().Replace(command, m => m.Groups[1].Value + _root + m.Groups[2].Value);

    private static Dictionary<string, string> Settings(string data, int ops, int bots) => new()
    {
        ["TRADEFINDER_DATA"] = data,
        ["TRADING_MODE"] = "paper",
        ["Gateway__BotsEndpoint"] = "127.0.0.1:" + bots,
        ["Gateway__AdminEndpoint"] = "127.0.0.1:" + TestPorts.Next(),
        ["Gateway__OpsEndpoint"] = "127.0.0.1:" + ops,
        ["DOTNET_EnableDiagnostics"] = "0",
        ["HOME"] = data,
    };

    private static ProcessStartInfo AsUser(string[] command, string workingDirectory, Dictionary<string, string> settings, bool asRoot)
    {
        var nobody = Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = asRoot
            ? new ProcessStartInfo("setpriv", ["--reuid", nobody, "--regid", nobody, "--clear-groups", "--", .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static Process Start(string[] entrypoint, string data, Dictionary<string, string> settings, bool asRoot, out Task<string> errors)
    {
        var process = Process.Start(AsUser(entrypoint, data, settings, asRoot))!;
        _ = process.StandardOutput.ReadToEndAsync();
        errors = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static Task<int> RunAsUserAsync(string[] entrypoint, string[] args, string data, Dictionary<string, string> settings, bool asRoot) =>
        RunAsync(AsUser([.. entrypoint, .. args], data, settings, asRoot));

    private static Task<int> RunAsync(string file, string[] args, Dictionary<string, string>? environment = null, bool check = true, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        return RunAsync(start, check);
    }

    /// <summary>Runs to the end; with <paramref name="check"/>, a non-zero exit fails with what the process wrote.</summary>
    private static async Task<int> RunAsync(ProcessStartInfo start, bool check = true)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {await output}{await error}");
        }

        return process.ExitCode;
    }

    /// <summary>The image's own directories in a RUN line (/app, /data), as words or path prefixes.</summary>
    [GeneratedRegex(@"(^|[\s=])(/(?:app|data)(?=[/\s]|$))")]
    private static partial Regex ImageRoot();

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex EnvPair();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>A Dockerfile's instructions (continuation lines joined, comments dropped), split into the build stage and the final one.</summary>
    private sealed record ImageStages(IReadOnlyList<string> Build, IReadOnlyList<string> Final)
    {
        public static ImageStages Read(string path)
        {
            var joined = Regex.Replace(string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#'))), @"\\\n\s*", " ");
            var lines = joined.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).Select(x => x.i).ToArray();
            return new(lines[stages[0]..stages[1]], lines[stages[^1]..]);
        }

        /// <summary>The exec-form command of an instruction of the final stage (JSON array; there is no shell).</summary>
        public string[] ExecForm(string instruction)
        {
            var line = Assert.Single(Final, l => l.StartsWith(instruction + " ", StringComparison.Ordinal));
            return JsonSerializer.Deserialize<string[]>(line[line.IndexOf('[', StringComparison.Ordinal)..])!;
        }
    }
}
