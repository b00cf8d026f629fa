using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Hosting;

public sealed class GatewayHostTests : IDisposable
{
    private readonly string _dataDir = TempDirectory.Create("tf-host");

    public void Dispose() => TempDirectory.Delete(_dataDir);

    [Fact]
    public async Task StartRefusedAfterThePaperExchangeStarted_LeavesNothingListening()
    {
        // Testnet without a testnet key: the refusal comes when keys are bound to their upstreams, after the
        // paper exchange is already listening on its loopback port.
        var settings = GatewayTestHost.BaseSettings(_dataDir);
        settings["TRADING_MODE"] = "testnet";
        settings["TRADEFINDER_UPSTREAM_OVERRIDE"] = "http://127.0.0.1:9/";

        var ex = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayHost.BuildAsync([], c => c.AddInMemoryCollection(settings)));

        Assert.Contains("BINANCE_TESTNET", ex.Message);
        var paper = new Uri(await File.ReadAllTextAsync(new GatewayPaths(_dataDir).PaperEndpointFile));
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(paper.Host, paper.Port));
    }

    [Fact]
    public async Task BuiltButNeverStarted_DisposesCleanly_AndTheDataDirIsReusable()
    {
        var settings = GatewayTestHost.BaseSettings(_dataDir);
        await (await GatewayHost.BuildAsync([], c => c.AddInMemoryCollection(settings))).DisposeAsync();

        await using var host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        using var ops = host.CreateOpsClient();
        Assert.Equal("Healthy", await ops.GetStringAsync(new Uri("healthz", UriKind.Relative)));
    }
}
