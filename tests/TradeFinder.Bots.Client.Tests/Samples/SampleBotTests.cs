using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradeFinder.Bots.Client.Models;
using TradeFinder.Bots.Samples;
using TradeFinder.Testing;

namespace TradeFinder.Bots.Client.Tests.Samples;

/// <summary>
/// The sample bots against a paper-mode gateway over mTLS, on a scripted market (prices pinned in the
/// simulator step by step) with known outcomes; and the bot process itself: it refuses exchange keys in its
/// environment, trades, and leaves no order behind when stopped.
/// </summary>
public sealed class SampleBotTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private ServiceProvider _services = null!;
    private decimal _base;

    private IGatewayClient Client => _services.GetRequiredService<IGatewayClient>();

    public async Task InitializeAsync()
    {
        // Scripted prices change between steps; a bot must see each one, not a cached answer from before.
        _host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Budgets:MarketDataMaxAgeMilliseconds"] = "0" });
        await _host.IssueBotAsync("sample");
        _services = BotServices.For(_host, "sample");
        _base = Math.Round((await Client.GetMarkPriceAsync("ETHUSDT")).Price);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task StepAtAsync(Strategy strategy, decimal factor)
    {
        await _host.PinPriceAsync("ETHUSDT", _base * factor);
        await strategy.StepAsync(CancellationToken.None);
    }

    private async Task<decimal> PositionAsync() => (await Client.GetPositionsAsync("ETHUSDT")).Sum(p => p.Quantity);

    [Fact]
    public async Task TrendFollower_OpensOnTheUpCross_WithAStop_AndClosesOnTheDownCross()
    {
        var options = new BotOptions { Strategy = "trend", Symbol = "ETHUSDT", Quantity = 0.1m, FastPeriod = 2, SlowPeriod = 4, StopPercent = 5m, Leverage = 3 };
        var bot = new TrendFollower(Client, options, NullLogger<TrendFollower>.Instance);
        await bot.StartAsync(CancellationToken.None);

        foreach (var factor in new[] { 1m, 1m, 1m, 1m })
        {
            await StepAtAsync(bot, factor);
        }

        Assert.Equal(0m, await PositionAsync());

        await StepAtAsync(bot, 1.01m); // fast crosses above slow
        var stop = Assert.Single(await Client.GetOpenAlgoOrdersAsync("ETHUSDT"));
        Assert.Equal(0.1m, await PositionAsync());
        Assert.Equal(OrderType.StopMarket, stop.Type);
        Assert.InRange(stop.TriggerPrice, _base * 1.01m * 0.949m, _base * 1.01m * 0.951m);
        Assert.Equal("isolated", Assert.Single(await Client.GetPositionsAsync("ETHUSDT")).MarginType);

        await StepAtAsync(bot, 1.03m); // still above: holds
        Assert.Equal(0.1m, await PositionAsync());

        await StepAtAsync(bot, 0.98m); // crosses below: stop canceled, position closed
        Assert.Equal(0m, await PositionAsync());
        Assert.Empty(await Client.GetOpenAlgoOrdersAsync("ETHUSDT"));
        Assert.Empty(await Client.GetOpenOrdersAsync("ETHUSDT"));
        Assert.Equal(0, await bot.StopAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TrendFollower_StopProtectsThePosition_WhenThePriceFalls()
    {
        var options = new BotOptions { Strategy = "trend", Symbol = "ETHUSDT", Quantity = 0.1m, FastPeriod = 2, SlowPeriod = 4, StopPercent = 2m };
        var bot = new TrendFollower(Client, options, NullLogger<TrendFollower>.Instance);
        await bot.StartAsync(CancellationToken.None);
        foreach (var factor in new[] { 1m, 1m, 1m, 1m, 1.01m })
        {
            await StepAtAsync(bot, factor);
        }

        Assert.Equal(0.1m, await PositionAsync());

        await _host.PinPriceAsync("ETHUSDT", _base * 0.97m); // through the stop, between two steps

        Assert.Equal(0m, await PositionAsync());
        Assert.Empty(await Client.GetOpenAlgoOrdersAsync("ETHUSDT"));
        Assert.True(await bot.PnlAsync(CancellationToken.None) < 0);
    }

    [Fact]
    public async Task GridMaker_PostsOnlyMakerOrdersInHedgeMode_TakesProfit_AndLeavesNoOrderOpen()
    {
        var options = new BotOptions { Strategy = "grid", Symbol = "ETHUSDT", Quantity = 0.1m, Levels = 2, SpacingPercent = 0.5m };
        var bot = new GridMaker(Client, options, NullLogger<GridMaker>.Instance);
        await bot.StartAsync(CancellationToken.None);
        Assert.True(await Client.GetHedgeModeAsync());

        await StepAtAsync(bot, 1m);
        var grid = await Client.GetOpenOrdersAsync("ETHUSDT");
        Assert.Equal(4, grid.Count);
        Assert.All(grid, o => Assert.Equal("NEW", o.Status));
        Assert.Equal(2, grid.Count(o => o.Side == OrderSide.Buy && o.PositionSide == PositionSide.Long && o.Price < _base));
        Assert.Equal(2, grid.Count(o => o.Side == OrderSide.Sell && o.PositionSide == PositionSide.Short && o.Price > _base));

        await StepAtAsync(bot, 0.9935m); // down through the first buy: long leg opened, take-profit placed above it
        var longLeg = Assert.Single(await Client.GetPositionsAsync("ETHUSDT"), p => p.PositionSide == PositionSide.Long && p.Quantity != 0);
        Assert.Equal(0.1m, longLeg.Quantity);
        Assert.Contains(await Client.GetOpenOrdersAsync("ETHUSDT"), o => o.Side == OrderSide.Sell && o.PositionSide == PositionSide.Long && o.Price > longLeg.EntryPrice);

        await StepAtAsync(bot, 1.001m); // up through the long's take-profit (closed with profit) and the re-centred first sell
        var legs = await Client.GetPositionsAsync("ETHUSDT");
        Assert.DoesNotContain(legs, p => p.PositionSide == PositionSide.Long && p.Quantity != 0);
        Assert.Equal(-0.1m, Assert.Single(legs, p => p.PositionSide == PositionSide.Short && p.Quantity != 0).Quantity);
        Assert.True((await Client.GetAccountAsync()).TotalWalletBalance > 10_000m, "the long round trip, bought and sold as maker one spacing apart, realised a profit");
        Assert.Contains(await Client.GetOpenOrdersAsync("ETHUSDT"), o => o.Side == OrderSide.Buy && o.PositionSide == PositionSide.Short);

        Assert.True(await bot.StopAsync(CancellationToken.None) > 0);
        Assert.Empty(await Client.GetOpenOrdersAsync("ETHUSDT"));
    }

    [Fact]
    public async Task BotProcess_WithExchangeKeysInItsEnvironment_RefusesToStart_NamingOnlyTheVariable()
    {
        var canary = "CANARY" + Guid.NewGuid().ToString("N");

        var (code, _, error) = await RunBotAsync(new() { ["BINANCE_API_KEY"] = canary, ["BINANCE_TESTNET_SECRET"] = canary }, TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("BINANCE_API_KEY", error);
        Assert.Contains("BINANCE_TESTNET_SECRET", error);
        Assert.DoesNotContain(canary, error);
    }

    [Fact]
    public async Task BotProcess_TradesThroughTheGateway_AndCancelsItsOrdersWhenStopped()
    {
        var dir = Path.Combine(_host.DataDir, "certs", "bots", "sample");
        var settings = new Dictionary<string, string?>
        {
            ["TradeFinderGateway__BaseAddress"] = _host.BotsAddress.ToString(),
            ["TradeFinderGateway__CaCertificatePath"] = _host.CaCertificatePath,
            ["TradeFinderGateway__CertificatePath"] = Path.Combine(dir, "sample.crt"),
            ["TradeFinderGateway__KeyPath"] = Path.Combine(dir, "sample.key"),
            ["Bot__Strategy"] = "grid",
            ["Bot__Symbol"] = "ETHUSDT",
            ["Bot__Quantity"] = "0.1",
            ["Bot__PollSeconds"] = "0.2",
        };

        var (code, output, error) = await RunBotAsync(settings, TimeSpan.FromSeconds(30), stopWhen: async () => (await Client.GetOpenOrdersAsync("ETHUSDT")).Count >= 6);

        Assert.True(code == 0, error);
        Assert.Contains("grid buy 1", output);
        Assert.Contains("stopped; canceled", output);
        Assert.DoesNotContain("System.Net.Http.HttpClient", output); // decisions and progress, not every HTTP call
        Assert.Empty(await Client.GetOpenOrdersAsync("ETHUSDT"));
    }

    /// <summary>Runs the sample bot as its own process; with <paramref name="stopWhen"/>, sends it SIGTERM once that holds.</summary>
    private static async Task<(int Code, string Output, string Error)> RunBotAsync(Dictionary<string, string?> environment, TimeSpan timeout, Func<Task<bool>>? stopWhen = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TradeFinder.Bots.Samples.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("BINANCE", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            if (stopWhen is not null)
            {
                while (!await stopWhen())
                {
                    if (process.HasExited)
                    {
                        Assert.Fail("the bot exited early: " + await error);
                    }

                    await Task.Delay(100, deadline.Token);
                }

                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(deadline.Token);
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output, await error);
    }
}
