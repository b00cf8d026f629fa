using System.Text;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Streams;
using TradeFinder.Gateway.Streams;

namespace TradeFinder.Gateway.Tests.Streams;

public sealed class MarketStreamProtocolTests
{
    [Theory]
    [InlineData("btcusdt@aggTrade", "BTCUSDT", "aggTrade", MarketStreamRoute.Market)]
    [InlineData("btcusdt@markPrice@1s", "BTCUSDT", "markPrice", MarketStreamRoute.Market)]
    [InlineData("ethusdt@kline_1M", "ETHUSDT", "kline", MarketStreamRoute.Market)]
    [InlineData("btcusdt@depth10@100ms", "BTCUSDT", "depth", MarketStreamRoute.Public)]
    [InlineData("btcusdt@depth", "BTCUSDT", "depth", MarketStreamRoute.Public)]
    [InlineData("solusdt@bookTicker", "SOLUSDT", "bookTicker", MarketStreamRoute.Public)]
    [InlineData("!markPrice@arr@1s", null, "markPrice", MarketStreamRoute.Market)]
    [InlineData("!bookTicker", null, "bookTicker", MarketStreamRoute.Public)]
    public void ExchangeStreamNames_ParseWithTheirRoute(string name, string? symbol, string kind, MarketStreamRoute route)
    {
        var stream = MarketStreamName.Parse(name);

        Assert.NotNull(stream);
        Assert.Equal((symbol, kind, route), (stream.Symbol, stream.Kind, stream.Route));
    }

    [Theory]
    [InlineData("BTCUSDT@aggTrade")] // the exchange's stream names are lowercase
    [InlineData("btcusdt@aggtrade")]
    [InlineData("btcusdt@kline_2m")]
    [InlineData("btcusdt@depth15")]
    [InlineData("btcusdt@depth5@250ms")]
    [InlineData("btcusdt@aggTrade@1s")]
    [InlineData("!ticker")]
    [InlineData("btc-usdt@aggTrade")]
    [InlineData("")]
    public void OtherNames_AreNotStreams(string name) => Assert.Null(MarketStreamName.Parse(name));

    [Theory]
    [InlineData("""{"method":"SUBSCRIBE","params":["a@b"],"id":-1}""", 2)]
    [InlineData("""{"method":"SUBSCRIBE","params":[1],"id":1}""", 2)]
    [InlineData("""{"method":"PING","id":1}""", 2)]
    [InlineData("""{"method":"SET_PROPERTY","params":["combined","yes"],"id":1}""", 1)]
    [InlineData("""{"method":"GET_PROPERTY","params":["speed"],"id":1}""", 0)]
    [InlineData("""{"method":""", 3)]
    public void BadControlMessages_GetTheExchangesErrorCodes(string message, int code)
    {
        Assert.Null(MarketStreamControl.Parse(Encoding.UTF8.GetBytes(message), out var error));
        Assert.StartsWith($$"""{"code":{{code}},"msg":""", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CombinedEnvelope_WrapsTheRawPayloadUnchanged()
    {
        var frame = MarketStreamControl.Combined("btcusdt@aggTrade", """{"e":"aggTrade","p":"1.0"}"""u8);

        Assert.Equal("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","p":"1.0"}}""", Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public async Task Pacer_SpacesCallersByItsInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var pacer = new StreamPacer(TimeSpan.FromMilliseconds(200), time);

        var first = pacer.WaitAsync(CancellationToken.None);
        var second = pacer.WaitAsync(CancellationToken.None);
        var third = pacer.WaitAsync(CancellationToken.None);
        Assert.True(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(200));
        await third;
    }

    [Fact]
    public void RotationDuplicates_DropSecondCopiesOnlyDuringARotationAndItsGrace()
    {
        var now = DateTimeOffset.UnixEpoch;
        var duplicates = new RotationDuplicates();
        var message = "{\"e\":\"ORDER_TRADE_UPDATE\"}"u8.ToArray();

        Assert.True(duplicates.FirstSeen(message, now));
        Assert.True(duplicates.FirstSeen(message, now)); // steady state: nothing is remembered
        duplicates.Open();
        Assert.True(duplicates.FirstSeen(message, now));
        Assert.False(duplicates.FirstSeen(message, now));
        duplicates.Close(now);
        Assert.False(duplicates.FirstSeen(message, now.AddSeconds(5)));
        Assert.True(duplicates.FirstSeen(message, now.AddSeconds(11)));
    }
}
