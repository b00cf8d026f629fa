using System.Globalization;
using System.Text.Json;
using TradeFinder.Contracts.Streams;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Tests.Market;

public sealed class MarketStreamFeedTests
{
    [Fact]
    public void ADiffAfterASkippedSecond_ZeroesTheLevelsOfTheSecondNeverSent()
    {
        var market = new MarketData(new PriceFeed(42, new Dictionary<string, KlineReplay>()), TimeProvider.System);
        var feed = new MarketStreamFeed(market);
        var spec = SymbolSpec.Find("BTCUSDT")!;
        var diff = MarketStreamName.Parse("btcusdt@depth")!;
        var top = MarketStreamName.Parse("btcusdt@depth5")!;

        // A second whose best ask is below both neighbours': its window's lowest asks belong to neither of theirs.
        var second = Enumerable.Range(1_000_000, 100_000).Select(s => (long)s)
            .First(s => market.Top(spec, s).Ask < market.Top(spec, s - 1).Ask && market.Top(spec, s).Ask < market.Top(spec, s + 1).Ask);

        // A book as a snapshot taken during that second holds it; the stream's last event was the second before.
        var (bids, asks) = (new SortedDictionary<decimal, decimal>(), new SortedDictionary<decimal, decimal>());
        Apply(Event(feed, diff, second, second - 1), bids, asks);
        Apply(Event(feed, diff, second + 1, second - 1), bids, asks);

        var expected = Event(feed, top, second + 1, second);
        Assert.Equal(Levels(expected.GetProperty("a")), asks.Take(5).Select(l => (l.Key, l.Value)));
        Assert.Equal(Levels(expected.GetProperty("b")), bids.Reverse().Take(5).Select(l => (l.Key, l.Value)));
    }

    private static JsonElement Event(MarketStreamFeed feed, MarketStreamName stream, long second, long previous) =>
        JsonDocument.Parse(Assert.Single(feed.EventsAt(stream, second, previous))).RootElement;

    private static IEnumerable<(decimal Price, decimal Qty)> Levels(JsonElement side) =>
        side.EnumerateArray().Select(l => (decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture), decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture))).ToList();

    private static void Apply(JsonElement update, SortedDictionary<decimal, decimal> bids, SortedDictionary<decimal, decimal> asks)
    {
        foreach (var (book, side) in new[] { (bids, "b"), (asks, "a") })
        {
            foreach (var (price, qty) in Levels(update.GetProperty(side)))
            {
                if (qty == 0)
                {
                    book.Remove(price);
                }
                else
                {
                    book[price] = qty;
                }
            }
        }
    }
}
