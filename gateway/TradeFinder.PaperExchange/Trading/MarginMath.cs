using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Maintenance margin and liquidation price by the exchange's published method (Binance Futures "Leverage and Margin" and liquidation FAQ).</summary>
internal static class MarginMath
{
    /// <summary><c>MM = |qty| × mark × MMR − cum</c>, in the bracket that contains the notional.</summary>
    public static decimal MaintenanceMargin(IReadOnlyList<LeverageBracket> brackets, decimal size, decimal markPrice)
    {
        var notional = size * markPrice;
        var bracket = LeverageBracket.For(brackets, notional);
        return Math.Max(0, (notional * bracket.MaintMarginRatio) - bracket.Cum);
    }

    /// <summary>
    /// One-position liquidation price <c>LP = (WB − TMM1 + UPNL1 + cum − side·qty·EP) / (qty·MMR − side·qty)</c>,
    /// recomputed in the tier the resulting notional falls into. Isolated: WB = isolated wallet, TMM1 = UPNL1 = 0.
    /// Returns 0 when there is no position or no positive solution (the API's "0").
    /// </summary>
    public static decimal LiquidationPrice(
        IReadOnlyList<LeverageBracket> brackets, decimal walletBalance, decimal otherMaintenance, decimal otherUnrealized,
        int side, decimal size, decimal entryPrice)
    {
        if (size == 0 || side == 0)
        {
            return 0;
        }

        decimal? fallback = null;
        foreach (var bracket in brackets)
        {
            var denominator = (size * bracket.MaintMarginRatio) - (side * size);
            if (denominator == 0)
            {
                continue;
            }

            var lp = (walletBalance - otherMaintenance + otherUnrealized + bracket.Cum - (side * size * entryPrice)) / denominator;
            if (lp <= 0)
            {
                continue;
            }

            var notional = size * lp;
            if (notional >= bracket.NotionalFloor && notional < bracket.NotionalCap)
            {
                return lp;
            }

            fallback ??= lp;
        }

        return fallback ?? 0;
    }

    /// <summary>The largest position notional allowed at a leverage: the cap of the last tier that permits it.</summary>
    public static decimal MaxNotional(IReadOnlyList<LeverageBracket> brackets, int leverage)
    {
        var cap = 0m;
        foreach (var bracket in brackets)
        {
            if (bracket.InitialLeverage >= leverage)
            {
                cap = bracket.NotionalCap;
            }
        }

        return cap;
    }
}
