using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.PaperExchange.Tests;

/// <summary>The simulator as its own process, keyed from the environment, as third-party clients use it.</summary>
public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task StandaloneProcess_ServesSignedRequestsWithTheEnvironmentKey()
    {
        var port = FreePort();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
