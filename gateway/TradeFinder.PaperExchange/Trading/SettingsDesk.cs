using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Per-symbol leverage and margin type, the account's position mode, and isolated margin top-ups.</summary>
internal sealed class SettingsDesk(VenueBooks books, MarginCalculator margin)
{
    private PositionBook Positions => books.Positions;

    public (int Leverage, decimal MaxNotional) SetLeverage(string symbol, int leverage)
    {
        var spec = VenueBooks.Spec(symbol);
        if (leverage < 1 || leverage > spec.MaxLeverage)
        {
            throw new ExchangeException(-4028, $"Leverage {leverage} is not valid");
        }

        var settings = Positions.SettingsFor(symbol);
        var positions = Positions.On(symbol);
        if (settings.MarginType == MarginType.ISOLATED && leverage < settings.Leverage && positions.Count > 0)
        {
            throw new ExchangeException(-4161, "Leverage reduction is not supported in Isolated Margin Mode with open positions.");
        }

        var maxNotional = MarginMath.MaxNotional(spec.Brackets, leverage);
        if (positions.Sum(p => p.Size * p.EntryPrice) > maxNotional)
        {
            throw new ExchangeException(-2027, "Exceeded the maximum allowable position at current leverage.");
        }

        settings.Leverage = leverage;
        return (leverage, maxNotional);
    }

    public void SetMarginType(string symbol, MarginType marginType)
    {
        VenueBooks.Spec(symbol);
        var settings = Positions.SettingsFor(symbol);
        if (settings.MarginType == marginType)
        {
            throw new ExchangeException(-4046, "No need to change margin type.");
        }

        if (books.OpenOrderCount(symbol) > 0)
        {
            throw new ExchangeException(-4047, "Margin type cannot be changed if there exists open orders.");
        }

        if (Positions.On(symbol).Count > 0)
        {
            throw new ExchangeException(-4048, "Margin type cannot be changed if there exists position.");
        }

        settings.MarginType = marginType;
    }

    public void SetDualSidePosition(bool dual)
    {
        if (Positions.DualSidePosition == dual)
        {
            throw new ExchangeException(-4059, "No need to change position side.");
        }

        if (books.Orders.HasOpen || books.Algos.HasOpen)
        {
            throw new ExchangeException(-4067, "Position side cannot be changed if there exists open orders.");
        }

        if (Positions.Count > 0)
        {
            throw new ExchangeException(-4068, "Position side cannot be changed if there exists position.");
        }

        Positions.DualSidePosition = dual;
    }

    public (decimal Amount, int Type) ModifyIsolatedMargin(string symbol, PositionSide? requestedSide, decimal amount, int type, long ms)
    {
        var spec = VenueBooks.Spec(symbol);
        if (!Positions.IsIsolated(symbol))
        {
            throw new ExchangeException(-4049, "Add margin only support for isolated position.");
        }

        var side = Positions.DualSidePosition ? requestedSide ?? throw ExchangeException.Mandatory("positionSide") : PositionSide.BOTH;
        var position = Positions.Find(symbol, side) ?? throw new ExchangeException(-4054, "Cannot add position margin: position is 0.");
        if (amount <= 0 || type is not (1 or 2))
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'amount' is not valid.");
        }

        if (type == 1)
        {
            if (margin.AvailableBalance(ms / 1000) < amount)
            {
                throw new ExchangeException(-4051, "Isolated balance insufficient.");
            }

            position.IsolatedWallet += amount;
        }
        else
        {
            var mark = books.Mark(spec, ms / 1000);
            var keep = (position.Size * mark / Positions.LeverageOf(symbol)) - position.UnrealizedPnl(mark);
            if (position.IsolatedWallet - amount < Math.Max(keep, 0))
            {
                throw new ExchangeException(-4051, "Isolated balance insufficient.");
            }

            position.IsolatedWallet -= amount;
        }

        position.UpdateTime = ms;
        return (amount, type);
    }
}
