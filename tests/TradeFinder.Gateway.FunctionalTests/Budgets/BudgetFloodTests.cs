using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Budgets;

/// <summary>
/// Twenty bots flood market data, account reads and orders against a simulator with a low weight limit: the
/// gateway answers the excess itself, the exchange never limits or bans the shared key, and every bot can
/// still cancel its resting order in the middle of the flood.
/// </summary>
public sealed class BudgetFloodTests
{
    [Fact]
    public async Task TwentyBotsFlooding_NeverGetTheExchangeToLimitTheKey_AndEveryCancelPasses()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:PaperWeightPerMinute"] = "1200" });
        var bots = new HttpClient[20];
        for (var i = 0; i < bots.Length; i++)
        {
            bots[i] = host.CreateClient(await host.IssueBotAsync("flood" + i));
            using var resting = await bots[i].PostAsync(new Uri($"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId=rest-{i}", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, resting.StatusCode);
        }

        var statuses = new ConcurrentDictionary<int, int>();
        var limited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var flood = bots.Select((bot, b) => Task.Run(async () =>
        {
            string[] paths =
            [
                "fapi/v1/depth?symbol=BTCUSDT&limit={0}", "fapi/v2/account", "fapi/v1/klines?symbol=ETHUSDT&interval=1m&limit={0}",
                "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1&price=1000",
            ];
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, paths[(b + n) % paths.Length], new[] { 5, 10, 20, 50, 100, 500 }[n % 6] + b);
                using var request = new HttpRequestMessage(path.Contains("type=LIMIT", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
                using var response = await bot.SendAsync(request);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    limited.TrySetResult();
                }
            }
        })).ToArray();

        // The cancels go out once the gateway is already refusing the flood, however slow this machine is, so
        // they prove the reserve rather than an unspent budget.
        var reached = await Task.WhenAny(limited.Task, Task.Delay(TimeSpan.FromSeconds(60))) == limited.Task;
        var cancels = reached ? await Task.WhenAll(bots.Select(async (bot, i) =>
        {
            // Generous: this asserts that the cancel passes, not how fast a loaded test machine answers it.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            using var response = await bot.DeleteAsync(new Uri($"fapi/v1/order?symbol=BTCUSDT&origClientOrderId=rest-{i}", UriKind.Relative), deadline.Token);
            return response.StatusCode;
        })) : [];
        await stop.CancelAsync();
        await Task.WhenAll(flood);

        Assert.True(reached, "the flood never reached the budget: " + string.Join(", ", statuses));
        Assert.All(cancels, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.DoesNotContain(host.PaperJournal.Entries, e => e.Outcome is "-1003" or "-1015");
        Assert.Equal(TimeSpan.Zero, host.Services.GetRequiredService<UpstreamBackoff>().Remaining(TradingMode.Paper));
        foreach (var bot in bots)
        {
            bot.Dispose();
        }
    }
}
