using System.Globalization;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Fills (position, wallet, trade and income records, order state) and liquidations on the mark price.</summary>
internal sealed class Settlement(VenueBooks books, MarginCalculator margin)
{
    /// <summary>Applies a fill to the position, wallet and history; returns the realized PnL.</summary>
    public decimal Fill(PaperOrder order, decimal qty, decimal price, bool maker, long ms, decimal? feeRateOverride = null)
    {
        var realized = books.Positions.Apply(order, qty, price, ms);
        var commission = Math.Round(qty * price * (feeRateOverride ?? (maker ? MarginCalculator.MakerFeeRate : MarginCalculator.TakerFeeRate)), 8);
        books.Account.WalletBalance += realized - commission;
        order.ExecutedQty += qty;
        order.CumQuote += qty * price;
        order.UpdateTime = ms;
        order.Status = order.ExecutedQty >= order.OrigQty ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        var tradeId = books.Account.RecordTrade(order, price, qty, realized, commission, maker, ms).ToString(CultureInfo.InvariantCulture);
        books.Account.AddIncome(order.Symbol, "REALIZED_PNL", realized, ms, tradeId);
        books.Account.AddIncome(order.Symbol, "COMMISSION", -commission, ms, tradeId);
        return realized;
    }

    /// <summary>Isolated positions whose margin no longer covers maintenance, then the whole cross account if its balance does not.</summary>
    public void CheckLiquidations(long second, long ms)
    {
        var positions = books.Positions;
        foreach (var position in positions.All.Where(p => positions.IsIsolated(p.Symbol)).ToArray())
        {
            var spec = VenueBooks.Spec(position.Symbol);
            var mark = books.Mark(spec, second);
            if (position.IsolatedWallet + position.UnrealizedPnl(mark) <= MarginMath.MaintenanceMargin(spec.Brackets, position.Size, mark))
            {
                Liquidate(position, mark, ms, lossCap: position.IsolatedWallet);
            }
        }

        var cross = positions.All.Where(p => !positions.IsIsolated(p.Symbol)).ToArray();
        if (cross.Length == 0)
        {
            return;
        }

        decimal balance = margin.CrossWallet(), maintenance = 0;
        foreach (var position in cross)
        {
            var spec = VenueBooks.Spec(position.Symbol);
            var mark = books.Mark(spec, second);
            balance += position.UnrealizedPnl(mark);
            maintenance += MarginMath.MaintenanceMargin(spec.Brackets, position.Size, mark);
        }

        if (balance <= maintenance)
        {
            foreach (var position in cross)
            {
                Liquidate(position, books.Mark(VenueBooks.Spec(position.Symbol), second), ms, lossCap: null);
            }
        }
    }

    /// <summary>
    /// Closes a position at the mark price with a LIQUIDATION order. Whatever margin is left after the loss
    /// goes to the insurance fund as the clearance fee, so an isolated position loses exactly its margin.
    /// </summary>
    private void Liquidate(Position position, decimal mark, long ms, decimal? lossCap)
    {
        var order = books.Orders.Create(position.Symbol, position.Direction > 0 ? OrderSide.SELL : OrderSide.BUY, position.Side, OrderType.LIQUIDATION,
            TimeInForce.IOC, 0, position.Size, ms, "autoclose-" + ms.ToString(CultureInfo.InvariantCulture));
        order.ReduceOnly = true;
        var account = books.Account;
        var walletBefore = account.WalletBalance;
        var available = lossCap ?? (margin.CrossWallet() > 0 ? margin.CrossWallet() : 0);
        Fill(order, order.OrigQty, mark, maker: false, ms, feeRateOverride: 0);
        var loss = walletBefore - account.WalletBalance;
        var clearance = lossCap is not null
            ? Math.Max(0, lossCap.Value - loss)
            : Math.Max(0, Math.Min(available - loss, order.OrigQty * mark * SymbolSpec.LiquidationFeeRate));
        account.WalletBalance -= clearance;
        account.AddIncome(position.Symbol, "INSURANCE_CLEAR", -clearance, ms);
        if (account.WalletBalance < 0)
        {
            account.WalletBalance = 0;
        }
    }
}
