using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TradeFinder.Bots.Client;
using TradeFinder.Bots.Samples;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Testing;

namespace TradeFinder.Bots.Client.Tests.Samples;

/// <summary>
/// The anomaly detectors against a normal session of each sample bot (a scripted market that makes them open,
/// protect, take profit and close): nothing is reported — the detectors are there for what is not normal.
/// </summary>
public sealed class SampleSessionTests
{
    [Theory]
    [InlineData("trend")]
    [InlineData("grid")]
    public async Task ANormalSessionOfASampleBot_RaisesNoAnomaly(string strategy)
    {
        // Every detector at its defaults, the position watch every second so it sees the session's positions.
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Budgets:MarketDataMaxAgeMilliseconds"] = "0",
            ["Gateway:Anomalies:PositionCheckSeconds"] = "1",
            ["Gateway:Anomalies:HeartbeatSeconds:" + strategy] = "30",
        });
        await host.IssueBotAsync(strategy);
        await using var services = BotServices.For(host, strategy);
        var client = services.GetRequiredService<IGatewayClient>();
        var options = strategy == "trend"
            ? new BotOptions { Strategy = "trend", Symbol = "ETHUSDT", Quantity = 0.1m, FastPeriod = 2, SlowPeriod = 4, StopPercent = 5m, Leverage = 3 }
            : new BotOptions { Strategy = "grid", Symbol = "ETHUSDT", Quantity = 0.1m, Levels = 2, SpacingPercent = 0.5m };
        Strategy bot = strategy == "trend"
            ? new TrendFollower(client, options, NullLogger<TrendFollower>.Instance)
            : new GridMaker(client, options, NullLogger<GridMaker>.Instance);
        var price = Math.Round((await client.GetMarkPriceAsync("ETHUSDT")).Price);

        await bot.StartAsync(CancellationToken.None);
        foreach (var factor in new[] { 1m, 1m, 1m, 1m, 1.01m, 1.03m, 1.02m, 0.9935m, 1.001m, 0.98m, 0.995m, 1m })
        {
            await host.PinPriceAsync("ETHUSDT", price * factor);
            await bot.StepAsync(CancellationToken.None);
        }

        await Task.Delay(2500); // the timed detectors (position watch, silence, quantitative rules) have had their turn
        await bot.StopAsync(CancellationToken.None);

        var monitor = host.Services.GetRequiredService<AnomalyMonitor>();
        Assert.True(monitor.Recent.Count == 0, string.Join("\n", monitor.Recent.Select(a => $"{a.Kind} {a.Severity} {a.Bot}: {a.Evidence}")));
    }
}
