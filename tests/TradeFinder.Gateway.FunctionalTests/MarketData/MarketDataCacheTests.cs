using System.Net;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task CachedAnswers_CostNoWeightQuota_FetchesDo_AndALocalRateProtectsTheGateway()
    {
        // The quota is counted per clock minute, as the exchange counts weight: a new minute between the charges below
        // would forget the first ones and let the third fetch pass (seen once in CI, a few seconds after a minute began).
        // The gateway's clock is the test's, a second into the current minute (in the past: certificates stay valid),
        // and moves only where the test says.
        var now = TimeProvider.System.GetUtcNow();
        var time = new FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)).AddSeconds(1));
        await using var host = await GatewayTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Gateway:Budgets:PerBotWeightPerMinute"] = "20",
                ["Gateway:Budgets:PerBotMarketDataRequestsPerSecond"] = "40",
            },
            time: time);
        using var poller = host.CreateClient(await host.IssueBotAsync("poller"));
        using var other = host.CreateClient(await host.IssueBotAsync("other"));
        host.PaperJournal.Clear();

        // 30 reads of the cached exchangeInfo (30 weight, over the quota of 20): one fetch, charged once.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await poller.GetAsync(new Uri("fapi/v1/exchangeInfo", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(host.PaperJournal.Entries, e => e.Path == "/fapi/v1/exchangeInfo");

        // Books not in the cache go upstream and are charged to the bot that asked: with exchangeInfo's 1, 5 + 5 more,
        // then 10 more would pass the quota of 20 and is refused.
        var fetches = new List<(HttpStatusCode Status, string Body)>();
        foreach (var symbol in new[] { "ETHUSDT", "SOLUSDT", "BTCUSDT&limit=500" })
        {
            time.Advance(TimeSpan.FromSeconds(1)); // a second of its own: inside the local rate, still in the same minute
            using var response = await poller.GetAsync(new Uri("fapi/v1/depth?symbol=" + (symbol.Contains('&', StringComparison.Ordinal) ? symbol : symbol + "&limit=100"), UriKind.Relative));
            fetches.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], fetches.Select(f => f.Status));
        Assert.Contains("weight quota", fetches[^1].Body, StringComparison.Ordinal);
        Assert.Equal(2, host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/depth"));
        using (var cached = await poller.GetAsync(new Uri("fapi/v1/exchangeInfo", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode); // still free from the cache
        }

        using (var othersFetch = await other.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=500", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, othersFetch.StatusCode); // another bot's quota is its own
        }

        // A burst beyond the local rate is answered 429 by the gateway, without anything upstream.
        var burst = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var answers = new List<(HttpStatusCode StatusCode, string Body)>();
            for (var i = 0; i < 30; i++)
            {
                using var response = await poller.GetAsync(new Uri("fapi/v1/exchangeInfo", UriKind.Relative));
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            return answers;
        }));
        var refused = burst.SelectMany(b => b).Where(b => b.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains("market-data requests this second", r.Body, StringComparison.Ordinal));
        Assert.Equal(3, host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/depth"));
        Assert.Single(host.PaperJournal.Entries, e => e.Path == "/fapi/v1/exchangeInfo");
    }
}
