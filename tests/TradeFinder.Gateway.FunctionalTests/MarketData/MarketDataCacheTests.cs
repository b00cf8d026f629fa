using System.Net;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.MarketData;

public sealed class MarketDataCacheTests
{
    [Fact]
    public async Task IdenticalConcurrentDepthRequests_FromManyBots_MakeOneUpstreamCall()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var bots = new List<HttpClient>();
        for (var i = 0; i < 10; i++)
        {
            bots.Add(host.CreateClient(await host.IssueBotAsync("md" + i)));
        }

        await host.InjectFaultAsync(new { pathPattern = "/fapi/v1/depth", kind = "Latency", latencyMs = 400 });
        host.PaperJournal.Clear();

        var answers = await Task.WhenAll(bots.Select(async bot =>
        {
            using var response = await bot.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=100", UriKind.Relative));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        using var other = await bots[0].GetAsync(new Uri("fapi/v1/depth?symbol=ETHUSDT&limit=100", UriKind.Relative));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Contains("\"bids\"", answers[0].Body);
        Assert.Equal(2, host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/depth"));

        await Task.Delay(TimeSpan.FromMilliseconds(300)); // past the depth TTL
        using var fresh = await bots[0].GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=100", UriKind.Relative));
        Assert.Equal(3, host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/depth"));
        bots.ForEach(b => b.Dispose());
    }
}
