using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Tests.Orders;

public sealed class OrderLedgerTests
{
    [Fact]
    public void Drain_GivesABotItsOwnOrdersOnce()
    {
        var ledger = new OrderLedger();
        ledger.Record("alpha", "BTCUSDT", "a-1", algo: false);
        ledger.Record("alpha", "ETHUSDT", "a-2", algo: true);
        ledger.Record("beta", "BTCUSDT", "b-1", algo: false);
        ledger.Record("alpha", "BTCUSDT", "a-1", algo: false); // the same order recorded twice stays one

        var alpha = ledger.Drain("alpha");

        Assert.Equal(2, alpha.Count);
        Assert.Contains(("ETHUSDT", "a-2", true), alpha);
        Assert.Empty(ledger.Drain("alpha"));
        Assert.Equal([("BTCUSDT", "b-1", false)], ledger.Drain("beta"));
    }

    [Fact]
    public void NewClientId_IsUniqueAndWithinTheExchangesLimit()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => OrderLedger.NewClientId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[\\.A-Z\\:/a-z0-9_-]{1,36}$", id));
    }
}
