using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

internal sealed partial class PaperVenue
{
    private Position? FindPosition(string symbol, PositionSide side) =>
        _state.Positions.Find(p => p.Symbol == symbol && p.Side == side);

    private static PositionSide PositionKey(bool dual, PositionSide requested) => dual ? requested : PositionSide.BOTH;

    /// <summary>Applies a fill to the position, wallet and history; returns the realized PnL.</summary>
    private decimal ApplyFill(PaperOrder order, decimal qty, decimal price, bool maker, long ms, decimal? feeRateOverride = null)
    {
        var spec = Spec(order.Symbol);
        var settings = Settings(order.Symbol);
        var key = PositionKey(_state.DualSidePosition, order.PositionSide);
        var position = FindPosition(order.Symbol, key);
        if (position is null)
        {
            position = new Position { Symbol = order.Symbol, Side = key };
            _state.Positions.Add(position);
        }

        var delta = qty * order.Side.Sign();
        var realized = 0m;
        var before = position.Size;
        if (position.Amount == 0 || Math.Sign(position.Amount) == Math.Sign(delta))
        {
            position.EntryPrice = ((before * position.EntryPrice) + (qty * price)) / (before + qty);
            position.Amount += delta;
            if (settings.MarginType == MarginType.ISOLATED)
            {
                position.IsolatedWallet += qty * price / settings.Leverage;
            }
        }
        else
        {
            var closing = Math.Min(qty, before);
            realized = (price - position.EntryPrice) * closing * position.Direction;
            if (settings.MarginType == MarginType.ISOLATED && before > 0)
            {
                position.IsolatedWallet -= position.IsolatedWallet * closing / before;
            }

            position.Amount += Math.Sign(delta) * closing;
            var flip = qty - closing;
            if (flip > 0 && key == PositionSide.BOTH)
            {
                position.Amount = Math.Sign(delta) * flip;
                position.EntryPrice = price;
                if (settings.MarginType == MarginType.ISOLATED)
                {
                    position.IsolatedWallet = flip * price / settings.Leverage;
                }
            }
        }

        if (position.Amount == 0)
        {
            _state.Positions.Remove(position);
        }

        position.UpdateTime = ms;
        var commission = Math.Round(qty * price * (feeRateOverride ?? (maker ? MakerFeeRate : TakerFeeRate)), 8);
        _state.WalletBalance += realized - commission;
        order.ExecutedQty += qty;
        order.CumQuote += qty * price;
        order.UpdateTime = ms;
        order.Status = order.ExecutedQty >= order.OrigQty ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        var tradeId = _state.NextTradeId++;
        _state.Trades.Add(new TradeRecord(tradeId, order.OrderId, order.Symbol, order.Side, order.PositionSide, price, qty, realized, commission, maker, ms));
        var tradeText = tradeId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AddIncome(order.Symbol, "REALIZED_PNL", realized, ms, tradeText);
        AddIncome(order.Symbol, "COMMISSION", -commission, ms, tradeText);
        _ = spec;
        return realized;
    }

    /// <summary>Margin the account can commit to new risk (cross wallet + cross uPnL − margins in use).</summary>
    private decimal AvailableBalance(long second)
    {
        var isolated = _state.Positions.Sum(p => p.IsolatedWallet);
        var crossWallet = _state.WalletBalance - isolated;
        var crossUnrealized = 0m;
        var positionMargin = 0m;
        foreach (var position in _state.Positions)
        {
            var spec = Spec(position.Symbol);
            var mark = Mark(spec, second);
            if (Settings(position.Symbol).MarginType == MarginType.CROSSED)
            {
                crossUnrealized += position.UnrealizedPnl(mark);
                positionMargin += position.Size * mark / Settings(position.Symbol).Leverage;
            }
        }

        return crossWallet + crossUnrealized - positionMargin - OpenOrderMargin();
    }

    private decimal OpenOrderMargin() => _open
        .Where(o => o.Status.IsOpen() && !o.ReduceOnly)
        .Sum(o => o.RemainingQty * o.Price / Settings(o.Symbol).Leverage);

    private decimal CrossWallet() => _state.WalletBalance - _state.Positions.Sum(p => p.IsolatedWallet);

    private decimal LiquidationPriceOf(Position position, long second)
    {
        var spec = Spec(position.Symbol);
        if (Settings(position.Symbol).MarginType == MarginType.ISOLATED)
        {
            return MarginMath.LiquidationPrice(spec.Brackets, position.IsolatedWallet, 0, 0, position.Direction, position.Size, position.EntryPrice);
        }

        decimal otherMaintenance = 0, otherUnrealized = 0;
        foreach (var other in _state.Positions)
        {
            if (ReferenceEquals(other, position) || Settings(other.Symbol).MarginType != MarginType.CROSSED)
            {
                continue;
            }

            var otherSpec = Spec(other.Symbol);
            var mark = Mark(otherSpec, second);
            otherMaintenance += MarginMath.MaintenanceMargin(otherSpec.Brackets, other.Size, mark);
            otherUnrealized += other.UnrealizedPnl(mark);
        }

        return MarginMath.LiquidationPrice(spec.Brackets, CrossWallet(), otherMaintenance, otherUnrealized, position.Direction, position.Size, position.EntryPrice);
    }

    private void CheckLiquidations(long second, long ms)
    {
        foreach (var position in _state.Positions.ToArray())
        {
            if (Settings(position.Symbol).MarginType != MarginType.ISOLATED || !_state.Positions.Contains(position))
            {
                continue;
            }

            var spec = Spec(position.Symbol);
            var mark = Mark(spec, second);
            if (position.IsolatedWallet + position.UnrealizedPnl(mark) <= MarginMath.MaintenanceMargin(spec.Brackets, position.Size, mark))
            {
                Liquidate(position, mark, ms, lossCap: position.IsolatedWallet);
            }
        }

        var cross = _state.Positions.Where(p => Settings(p.Symbol).MarginType == MarginType.CROSSED).ToArray();
        if (cross.Length == 0)
        {
            return;
        }

        decimal balance = CrossWallet(), maintenance = 0;
        foreach (var position in cross)
        {
            var spec = Spec(position.Symbol);
            var mark = Mark(spec, second);
            balance += position.UnrealizedPnl(mark);
            maintenance += MarginMath.MaintenanceMargin(spec.Brackets, position.Size, mark);
        }

        if (balance <= maintenance)
        {
            foreach (var position in cross)
            {
                Liquidate(position, Mark(Spec(position.Symbol), second), ms, lossCap: null);
            }
        }
    }

    /// <summary>
    /// Closes a position at the mark price with a LIQUIDATION order. Whatever margin is left after the loss
    /// goes to the insurance fund as the clearance fee, so an isolated position loses exactly its margin.
    /// </summary>
    private void Liquidate(Position position, decimal mark, long ms, decimal? lossCap)
    {
        var order = NewOrder(position.Symbol, position.Direction > 0 ? OrderSide.SELL : OrderSide.BUY, position.Side, OrderType.LIQUIDATION,
            TimeInForce.IOC, 0, position.Size, ms, "autoclose-" + ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
        order.ReduceOnly = true;
        var walletBefore = _state.WalletBalance;
        var margin = lossCap ?? (CrossWallet() > 0 ? CrossWallet() : 0);
        ApplyFill(order, order.OrigQty, mark, maker: false, ms, feeRateOverride: 0);
        var loss = walletBefore - _state.WalletBalance;
        var clearance = Math.Max(0, Math.Min(margin - loss, order.OrigQty * mark * SymbolSpec.LiquidationFeeRate));
        if (lossCap is not null)
        {
            clearance = Math.Max(0, lossCap.Value - loss);
        }

        _state.WalletBalance -= clearance;
        AddIncome(position.Symbol, "INSURANCE_CLEAR", -clearance, ms);
        if (_state.WalletBalance < 0)
        {
            _state.WalletBalance = 0;
        }
    }
}
