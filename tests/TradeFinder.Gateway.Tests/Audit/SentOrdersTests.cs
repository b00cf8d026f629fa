using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>A <c>sent</c> record names every order it placed well enough to look each up again after a start.</summary>
public sealed class SentOrdersTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    private static AuditEvent Sent(string method, string path, PlacedOrdersFeature? placed, string type = AuditEventTypes.Sent)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString("?symbol=IGNORED&side=BUY");
        context.Features.Set(new BotIdentity("alpha", TradingMode.Testnet));
        if (placed is not null)
        {
            context.Features.Set(placed);
        }

        var record = TrafficAuditMiddleware.DescribeSent(context, Time);
        return new AuditEvent(7, Guid.NewGuid(), record.OccurredAtMs, type, record.Bot, record.Endpoint, record.Outcome, record.Details, "", "");
    }

    [Fact]
    public void AnOrder_ReadsAsItsBotModeSymbolAndExchangeClientId()
    {
        var order = Assert.Single(SentOrders.Read(Sent("POST", "/fapi/v1/order", new([("ETHUSDT", "tabcdef.mine-1", "mine-1")], Algo: false, Batch: false))));

        Assert.Equal(new SentOrder("alpha", "testnet", "ETHUSDT", "tabcdef.mine-1", Algo: false), order);
    }

    [Fact]
    public void ABatch_ReadsAsEachOfItsOrders_InOrder_AndAnAlgoOrderAsAlgo()
    {
        var batch = SentOrders.Read(Sent("POST", "/fapi/v1/batchOrders",
            new([("BTCUSDT", "tabcdef.b-1", "b-1"), ("ETHUSDT", "tabcdef:0a1b", "a-long-id")], Algo: false, Batch: true)));
        var algo = Assert.Single(SentOrders.Read(Sent("POST", "/fapi/v1/algoOrder", new([("BTCUSDT", "tabcdef.s-1", "s-1")], Algo: true, Batch: false))));

        Assert.Equal([("BTCUSDT", "tabcdef.b-1"), ("ETHUSDT", "tabcdef:0a1b")], batch.Select(o => (o.Symbol, o.ClientId)));
        Assert.True(algo.Algo);
    }

    [Fact]
    public void AMappedOrder_ReadsWithTheBotsOwnId_ACarriedOneWithout()
    {
        var batch = SentOrders.Read(Sent("POST", "/fapi/v1/batchOrders",
            new([("BTCUSDT", "tabcdef.b-1", "b-1"), ("ETHUSDT", "tabcdef:0a1b", "a-long-id")], Algo: false, Batch: true)));
        var carried = Sent("POST", "/fapi/v1/order", new([("ETHUSDT", "tabcdef.mine-1", "mine-1")], Algo: false, Batch: false));

        Assert.Equal([null, "a-long-id"], batch.Select(o => o.BotClientId));
        Assert.DoesNotContain("botClientIds", carried.Details, StringComparison.Ordinal); // nothing the exchange id does not say already
    }

    [Theory]
    [InlineData("DELETE", "/fapi/v1/order", AuditEventTypes.Sent)]    // a cancel places nothing
    [InlineData("POST", "/fapi/v1/leverage", AuditEventTypes.Sent)]
    [InlineData("POST", "/fapi/v1/order", AuditEventTypes.Traffic)]   // the outcome's record, not the sent one
    public void OtherRecords_PlacedNothing(string method, string path, string type) =>
        Assert.Empty(SentOrders.Read(Sent(method, path, new([("BTCUSDT", "tabcdef.x", "x")], Algo: false, Batch: false), type)));

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"clientIds":["tabcdef.x"]}""")] // no symbols: written by an earlier version
    [InlineData("""{"clientIds":"tabcdef.x","symbols":"BTCUSDT"}""")]
    public void ARecordThisVersionCannotRead_PlacedNothing_RatherThanFailingTheStart(string details) =>
        Assert.Empty(SentOrders.Read(new AuditEvent(1, Guid.NewGuid(), 0, AuditEventTypes.Sent, "alpha", "POST /fapi/v1/order", "sent", details, "", "")));
}
