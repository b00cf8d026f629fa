using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.PaperExchange.Tests;

/// <summary>The simulator as its own process, keyed from the environment, as third-party clients use it.</summary>
public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task StandaloneProcess_ServesSignedRequestsWithTheEnvironmentKey()
    {
        var port = TradeFinder.Testing.TestPorts.Next();
        var key = "key" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var secret = "secret" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.PaperExchange.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PAPER_API_KEY"] = key;
        start.Environment["PAPER_API_SECRET"] = secret;
        using var process = Process.Start(start)!;
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("listening on", ready);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var payload = $"timestamp={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"fapi/v2/balance?{payload}&signature={signature}");
            request.Headers.Add("X-MBX-APIKEY", key);

            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"asset\":\"USDT\"", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task StandaloneProcess_KeyedFromSecretFiles_StopsPromptlyOnSigterm_AndSavesItsState()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SIGTERM as containers and service managers send it
        }

        var port = TradeFinder.Testing.TestPorts.Next();
        var dir = Directory.CreateTempSubdirectory("tf-paper-term").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "api-key"), "key" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));
            File.WriteAllText(Path.Combine(dir, "secret"), "secret" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)));
            var state = Path.Combine(dir, "state.json");
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.PaperExchange.dll"), "--urls", $"http://127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PAPER_API_KEY"] = "";
            start.Environment["PAPER_API_SECRET"] = "";
            start.Environment["PAPER_API_KEY_FILE"] = Path.Combine(dir, "api-key");
            start.Environment["PAPER_API_SECRET_FILE"] = Path.Combine(dir, "secret");
            start.Environment["PAPER_STATE"] = state;
            using var process = Process.Start(start)!;
            try
            {
                Assert.Contains("listening on", await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
                var stopping = Stopwatch.StartNew();

                Assert.Equal(0, Kill(process.Id, 15));
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

                Assert.Equal(0, process.ExitCode);
                Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
                Assert.True(File.Exists(state), "the account state was not saved on SIGTERM");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task StandaloneProcess_WithoutKeys_RefusesToStart()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.PaperExchange.dll")]) { RedirectStandardError = true };
        start.Environment["PAPER_API_KEY"] = "";
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("PAPER_API_KEY", error);
    }
}
