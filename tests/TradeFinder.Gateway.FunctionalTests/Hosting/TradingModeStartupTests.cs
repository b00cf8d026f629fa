using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Hosting;

public sealed class TradingModeStartupTests
{
    [Fact]
    public async Task GatewayProcess_WhosePortIsTaken_SaysWhichSettingToChange_InOneLine()
    {
        var dataDir = TempDirectory.Create("tf-port");
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.Gateway.dll")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                WorkingDirectory = dataDir,
            };
            start.Environment["TRADING_MODE"] = "paper";
            start.Environment["TRADEFINDER_DATA"] = dataDir;
            start.Environment["Gateway__BotsEndpoint"] = "127.0.0.1:" + TestPorts.Next();
            start.Environment["Gateway__AdminEndpoint"] = "127.0.0.1:" + TestPorts.Next();
            start.Environment["Gateway__OpsEndpoint"] = "127.0.0.1:" + taken;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            var message = (await stderr).Trim();
            Assert.True(process.ExitCode == 2, $"exit code {process.ExitCode}: {message}");
            Assert.Contains("Gateway__OpsEndpoint", message);
            Assert.Contains(taken.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
            Assert.Single(message.Split('\n'));
        }
        finally
        {
            TempDirectory.Delete(dataDir);
        }
    }

    [Fact]
    public async Task GatewayProcess_WithBogusTradingMode_ExitsNonZeroNamingTheVariableAndAllowedValues()
    {
        var dataDir = TempDirectory.Create("tf-bogus");
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TradeFinder.Gateway.dll")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                WorkingDirectory = dataDir,
            };
            start.Environment["TRADING_MODE"] = "bogus";
            start.Environment["TRADEFINDER_DATA"] = dataDir;
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            var message = await stderr;
            Assert.Contains("TRADING_MODE", message);
            Assert.Contains("paper, testnet, live", message);
        }
        finally
        {
            TempDirectory.Delete(dataDir);
        }
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("production")]
    [InlineData("LIVE!")]
    public async Task Build_UnknownTradingMode_Refuses(string mode)
    {
        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => BuildAsync(new() { ["TRADING_MODE"] = mode }));

        Assert.Contains("TRADING_MODE must be one of: paper, testnet, live", error.Message);
    }

    [Fact]
    public async Task Build_LiveWithoutProductionKeys_Refuses()
    {
        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => BuildAsync(new() { ["TRADING_MODE"] = "live" }));

        Assert.Contains("BINANCE_API_KEY", error.Message);
    }

    [Fact]
    public async Task Build_TestnetWithoutTestnetKeys_Refuses()
    {
        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => BuildAsync(new()
        {
            ["TRADING_MODE"] = "testnet",
            ["BINANCE_API_KEY"] = "LIVEkey7f3a9c2e8b1d4f6a0c5e7b9d2f4a6c8e0b1d3f5a7c9e",
            ["BINANCE_SECRET"] = "LIVEsecret4b8d2f6a0c4e8b2d6f0a4c8e2b6d0f4a8c2e6b0d",
        }));

        Assert.Contains("BINANCE_TESTNET_API_KEY", error.Message);
    }

    [Fact]
    public async Task Build_LiveWithUpstreamOverride_Refuses_EvenOnLoopback()
    {
        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => BuildAsync(new()
        {
            ["TRADING_MODE"] = "live",
            ["BINANCE_API_KEY"] = "LIVEkey5c9e3a7f1b5d9e3c7a1f5b9d3e7c1a5f9b3d7e1c5a9f",
            ["BINANCE_SECRET"] = "LIVEsecret4b8d2f6a0c4e8b2d6f0a4c8e2b6d0f4a8c2e6b0d",
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = "http://127.0.0.1:9900",
        }));

        Assert.Contains("TRADEFINDER_UPSTREAM_OVERRIDE is refused in live mode", error.Message);
    }

    [Fact]
    public async Task Build_NonLoopbackUpstreamOverride_Refuses()
    {
        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => BuildAsync(new()
        {
            ["TRADING_MODE"] = "testnet",
            ["BINANCE_TESTNET_API_KEY"] = "TESTNETkey1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1",
            ["BINANCE_TESTNET_SECRET"] = "TESTNETsecret9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1",
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = "http://10.1.2.3:9900",
        }));

        Assert.Contains("loopback", error.Message);
    }

    private static async Task BuildAsync(Dictionary<string, string?> overrides)
    {
        var dataDir = TempDirectory.Create("tf-mode");
        try
        {
            var settings = GatewayTestHost.BaseSettings(dataDir);
            foreach (var (k, v) in overrides)
            {
                settings[k] = v;
            }

            await using var app = await GatewayHost.BuildAsync([], c => c.AddInMemoryCollection(settings));
        }
        finally
        {
            TempDirectory.Delete(dataDir);
        }
    }
}
