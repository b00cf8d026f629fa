using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Streams;

namespace TradeFinder.Gateway.Tests.Streams;

public sealed class MarketStreamHubTests : IDisposable
{
    private static readonly byte[] Frame = Encoding.UTF8.GetBytes("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT"}}""");
    private readonly MarketStreamHub _hub;

    public MarketStreamHubTests()
    {
        // The upstream is unreachable: the hub's bookkeeping and fan-out are what is tested, fed frames directly.
        var options = Options.Create(new StreamsOptions());
        var endpoints = new StreamEndpoints(new UpstreamDirectory(TradingMode.Paper, new Dictionary<TradingMode, Uri> { [TradingMode.Paper] = new("http://127.0.0.1:9/") }), options);
        _hub = new MarketStreamHub(endpoints, options, TimeProvider.System, NullLogger<MarketStreamHub>.Instance);
    }

    public void Dispose() => _hub.Dispose();

    private BotMarketSession Open(string bot, bool combined, int capacity = 1000)
    {
        var session = new BotMarketSession(new BotIdentity(bot, TradingMode.Paper), combined, capacity);
        Assert.True(_hub.TryOpen(bot));
        Assert.Null(_hub.Subscribe(session, ["btcusdt@aggTrade"]).Refused);
        return session;
    }

    [Fact]
    public void ASlowReader_IsCutOffAlone_TheOthersGetEveryFrameInTheirShape()
    {
        var slow = Open("slow", combined: false, capacity: 16);
        var raw = Open("raw", combined: false);
        var combined = Open("combined", combined: true);

        for (var i = 0; i < 20; i++)
        {
            _hub.Dispatch(_hub.Connections.Single(), Frame);
        }

        Assert.StartsWith("slow consumer", slow.EndReason, StringComparison.Ordinal);
        Assert.Null(raw.EndReason);
        Assert.Equal(20, raw.Events.Count);
        Assert.True(raw.Events.TryRead(out var rawMessage));
        Assert.Equal("""{"e":"aggTrade","E":1,"s":"BTCUSDT"}""", Encoding.UTF8.GetString(rawMessage.Span));
        Assert.True(combined.Events.TryRead(out var combinedMessage));
        Assert.Equal(Frame, combinedMessage.ToArray());
    }

    [Fact]
    public void OneUpstreamStream_ForManyReaders_ClosedWithTheLastOne()
    {
        var sessions = Enumerable.Range(0, 5).Select(i => Open("bot" + i, combined: false)).ToList();
        Assert.Equal(5, _hub.SubscribersOf(TradingMode.Paper, "btcusdt@aggTrade"));
        Assert.Equal(1, _hub.Connections.Single().StreamCount);

        foreach (var session in sessions)
        {
            _hub.Close(session);
        }

        Assert.Equal(0, _hub.SubscribersOf(TradingMode.Paper, "btcusdt@aggTrade"));
        Assert.All(_hub.Connections, c => Assert.Equal(0, c.StreamCount));
    }

    [Fact]
    public void ABotsConnectionCap_IsItsOwn()
    {
        for (var i = 0; i < new StreamsOptions().MaxMarketConnectionsPerBot; i++)
        {
            Assert.True(_hub.TryOpen("busy"));
        }

        Assert.False(_hub.TryOpen("busy"));
        Assert.True(_hub.TryOpen("calm"));
    }
}
