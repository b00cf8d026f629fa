using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Upstream;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Upstream;

/// <summary>The gateway measures an upstream whose clock is ahead, over real HTTP, and stays quiet while told to back off.</summary>
public sealed class ClockSyncServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Ahead = TimeSpan.FromSeconds(5);
    private readonly string _dataDir = TempDirectory.Create("tf-clock");
    private PaperExchangeServer _exchange = null!;
    private ServiceProvider _http = null!;

    public async Task InitializeAsync()
    {
        _exchange = await PaperExchangeServer.StartAsync(new PaperExchangeSettings { Credentials = [new PaperCredential("clock-test", new byte[32])], Quiet = true }, new ShiftedTime(Ahead));
        _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _exchange.DisposeAsync();
        TempDirectory.Delete(_dataDir);
    }

    private (ClockSyncService Sync, ExchangeClock Clock, UpstreamBackoff Backoff) Create()
    {
        var clock = new ExchangeClock(TimeProvider.System);
        var backoff = new UpstreamBackoff(new GatewayPaths(_dataDir), TimeProvider.System);
        var upstreams = new UpstreamDirectory(TradingMode.Paper, new Dictionary<TradingMode, Uri> { [TradingMode.Paper] = _exchange.BaseAddress });
        var sync = new ClockSyncService(upstreams, clock, _http.GetRequiredService<IHttpClientFactory>(), TimeProvider.System,
            Options.Create(new ClockSyncOptions()), backoff, NullLogger<ClockSyncService>.Instance);
        return (sync, clock, backoff);
    }

    [Fact]
    public async Task Resync_MeasuresTheUpstreamsOffset()
    {
        var (sync, clock, _) = Create();

        await sync.ResyncAsync(TradingMode.Paper, CancellationToken.None);

        var offset = clock.NowMs(TradingMode.Paper) - TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.InRange(offset, Ahead.TotalMilliseconds - 250, Ahead.TotalMilliseconds + 250);
    }

    [Fact]
    public async Task Resync_WhileTheUpstreamAsksForBackOff_SendsNothing()
    {
        var (sync, clock, backoff) = Create();
        backoff.Record(TradingMode.Paper, 429, "60", null);

        await sync.ResyncAsync(TradingMode.Paper, CancellationToken.None);

        Assert.InRange(clock.NowMs(TradingMode.Paper) - TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), -50, 50);
    }

    /// <summary>The exchange's clock, running ahead of ours.</summary>
    private sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
