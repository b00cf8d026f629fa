using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Tests.Trading;

/// <summary>Worked examples from the exchange's liquidation FAQ (Binance Futures liquidation FAQ), with its illustrative tiers.</summary>
public sealed class MarginMathTests
{
    private static readonly IReadOnlyList<LeverageBracket> FaqTiers = LeverageBracket.Build((50_000m, 125, 0.004m), (250_000m, 100, 0.005m), (1_000_000m, 50, 0.01m));

    [Fact]
    public void Build_DerivesMaintenanceAmounts_AsTheFaqDoes()
    {
        Assert.Equal(0m, FaqTiers[0].Cum);
        Assert.Equal(50m, FaqTiers[1].Cum);
        Assert.Equal(1_300m, FaqTiers[2].Cum);
        Assert.Equal(50_000m, FaqTiers[1].NotionalFloor);
    }

    [Fact]
    public void LiquidationPrice_IsolatedLong_MatchesWorkedExample()
    {
        var lp = MarginMath.LiquidationPrice(FaqTiers, 5_000m, 0, 0, side: 1, size: 1m, entryPrice: 50_000m);

        Assert.Equal(45_180.72m, Math.Round(lp, 2));
        Assert.Equal(Math.Round(5_000m + (lp - 50_000m), 2), Math.Round(MarginMath.MaintenanceMargin(FaqTiers, 1m, lp), 2));
    }

    [Fact]
    public void LiquidationPrice_IsolatedShort_IsRecomputedInTheTierItFallsInto()
    {
        var lp = MarginMath.LiquidationPrice(FaqTiers, 5_000m, 0, 0, side: -1, size: 1m, entryPrice: 50_000m);

        Assert.Equal(54_776.12m, Math.Round(lp, 2));
    }

    [Fact]
    public void LiquidationPrice_NoPosition_IsZero()
    {
        Assert.Equal(0m, MarginMath.LiquidationPrice(FaqTiers, 5_000m, 0, 0, side: 0, size: 0, entryPrice: 0));
    }

    [Fact]
    public void LiquidationPrice_LongWithMoreMarginThanNotional_HasNoPositiveSolution()
    {
        Assert.Equal(0m, MarginMath.LiquidationPrice(FaqTiers, 60_000m, 0, 0, side: 1, size: 1m, entryPrice: 50_000m));
    }

    [Fact]
    public void LiquidationPrice_CrossWithOtherPositions_UsesTheirMaintenanceAndPnl()
    {
        var alone = MarginMath.LiquidationPrice(FaqTiers, 5_000m, 0, 0, 1, 1m, 50_000m);
        var withLosingNeighbour = MarginMath.LiquidationPrice(FaqTiers, 5_000m, otherMaintenance: 100m, otherUnrealized: -1_000m, 1, 1m, 50_000m);

        Assert.True(withLosingNeighbour > alone);
    }

    [Theory]
    [InlineData(10_000, 0.004, 40)]
    [InlineData(100_000, 0.005, 450)]
    [InlineData(500_000, 0.01, 3_700)]
    public void MaintenanceMargin_UsesTheBracketOfTheNotional(decimal notional, decimal mmr, decimal expected)
    {
        _ = mmr;
        Assert.Equal(expected, MarginMath.MaintenanceMargin(FaqTiers, notional / 50_000m, 50_000m));
    }

    [Theory]
    [InlineData(125, 50_000)]
    [InlineData(100, 250_000)]
    [InlineData(20, 1_000_000)]
    public void MaxNotional_IsTheCapOfTheLastTierAllowingTheLeverage(int leverage, decimal expected)
    {
        Assert.Equal(expected, MarginMath.MaxNotional(FaqTiers, leverage));
    }
}
