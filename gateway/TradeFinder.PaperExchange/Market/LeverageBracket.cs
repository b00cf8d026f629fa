namespace TradeFinder.PaperExchange.Market;

/// <summary>A notional tier (Binance Futures "Leverage and Margin" and liquidation FAQ): max leverage, maintenance margin rate and maintenance amount.</summary>
internal sealed record LeverageBracket(int Bracket, int InitialLeverage, decimal NotionalFloor, decimal NotionalCap, decimal MaintMarginRatio, decimal Cum)
{
    /// <summary>Builds tiers from (cap, leverage, MMR), deriving floors and <c>cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1}</c>.</summary>
    public static IReadOnlyList<LeverageBracket> Build(params (decimal Cap, int Leverage, decimal Mmr)[] tiers)
    {
        var result = new List<LeverageBracket>(tiers.Length);
        decimal floor = 0, cum = 0, previousMmr = 0;
        for (var i = 0; i < tiers.Length; i++)
        {
            var (cap, leverage, mmr) = tiers[i];
            cum = i == 0 ? 0 : (floor * (mmr - previousMmr)) + cum;
            result.Add(new LeverageBracket(i + 1, leverage, floor, cap, mmr, cum));
            floor = cap;
            previousMmr = mmr;
        }

        return result;
    }

    public static LeverageBracket For(IReadOnlyList<LeverageBracket> brackets, decimal notional)
    {
        foreach (var bracket in brackets)
        {
            if (notional < bracket.NotionalCap)
            {
                return bracket;
            }
        }

        return brackets[^1];
    }
}
