using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Tests.Trading;

/// <summary>Accept/reject edges of every exchangeInfo filter on BTCUSDT (tick 0.10, step 0.001, notional 100).</summary>
public sealed class FiltersTests
{
    private static readonly SymbolSpec Btc = SymbolSpec.Find("BTCUSDT")!;

    private static int CodeOf(Action check)
    {
        try
        {
            check();
            return 0;
        }
        catch (ExchangeException ex)
        {
            return ex.Code;
        }
    }

    [Theory]
    [InlineData("261.10", 0)]
    [InlineData("261.00", -4013)]
    [InlineData("809484", 0)]
    [InlineData("809484.10", -4002)]
    [InlineData("65000.10", 0)]
    [InlineData("65000.15", -4014)]
    [InlineData("65000.155", -1111)]
    [InlineData("65000.2", 0)]
    [InlineData("0", -4001)]
    public void PriceFilter_Edges(string price, int expected)
    {
        Assert.Equal(expected, CodeOf(() => Filters.Price(Btc, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void PriceFilter_OffTick_IsRejectedWith4014()
    {
        var eth = SymbolSpec.Find("ETHUSDT")!;
        Assert.Equal(0, CodeOf(() => Filters.Price(eth, 3200.01m)));
        var sol = SymbolSpec.Find("SOLUSDT")! with { TickSize = 0.05m };
        Assert.Equal(-4014, CodeOf(() => Filters.Price(sol, 150.03m)));
        Assert.Equal(0, CodeOf(() => Filters.Price(sol, 150.02m)));
    }

    [Theory]
    [InlineData("0.001", false, 0)]
    [InlineData("0.0005", false, -1111)]
    [InlineData("0", false, -4003)]
    [InlineData("1000", false, 0)]
    [InlineData("1000.001", false, -4005)]
    [InlineData("120", true, 0)]
    [InlineData("120.001", true, -4005)]
    public void LotSize_AndMarketLotSize_Edges(string qty, bool market, int expected)
    {
        Assert.Equal(expected, CodeOf(() => Filters.Quantity(Btc, decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture), market)));
    }

    [Fact]
    public void LotSize_BelowMinAndOffStep_AreRejected()
    {
        var sol = SymbolSpec.Find("SOLUSDT")!;
        Assert.Equal(-4004, CodeOf(() => Filters.Quantity(sol with { MinQty = 2m }, 1m, market: false)));
        Assert.Equal(-4023, CodeOf(() => Filters.Quantity(sol with { StepSize = 2m }, 4m, market: false)));
        Assert.Equal(0, CodeOf(() => Filters.Quantity(sol with { StepSize = 2m }, 3m, market: false)));
    }

    [Theory]
    [InlineData("0.002", "50000", false, 0)]
    [InlineData("0.001", "99999.9", false, -4164)]
    [InlineData("0.001", "99999.9", true, 0)]
    [InlineData("0.001", "100000", false, 0)]
    public void MinNotional_Edges_AndReduceOnlyExemption(string qty, string price, bool reduceOnly, int expected)
    {
        Assert.Equal(expected, CodeOf(() => Filters.MinNotional(Btc, decimal.Parse(qty, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), reduceOnly)));
    }

    [Theory]
    [InlineData("BUY", "105000", 0)]
    [InlineData("BUY", "105000.1", -4016)]
    [InlineData("SELL", "95000", 0)]
    [InlineData("SELL", "94999.9", -4024)]
    [InlineData("SELL", "200000", 0)]
    [InlineData("BUY", "1000", 0)]
    public void PercentPrice_BandAroundMark(string side, string price, int expected)
    {
        Assert.Equal(expected, CodeOf(() => Filters.PercentPrice(Btc, Enum.Parse<OrderSide>(side), decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), 100_000m)));
    }
}
