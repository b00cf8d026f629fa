using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>What the account can commit and where its positions liquidate, by the exchange's published method.</summary>
internal sealed class MarginCalculator(VenueBooks books)
{
    public const decimal MakerFeeRate = 0.0002m;
    public const decimal TakerFeeRate = 0.0005m;

    private PositionBook Positions => books.Positions;

    /// <summary>Wallet less what isolated positions hold.</summary>
    public decimal CrossWallet() => books.Account.WalletBalance - Positions.IsolatedMargin;

    public decimal OpenOrderMargin() => books.Orders.OpenOrderMargin(Positions.LeverageOf);

    /// <summary>Margin the account can commit to new risk (cross wallet + cross uPnL − margins in use).</summary>
    public decimal AvailableBalance(long second)
    {
        var crossUnrealized = 0m;
        var positionMargin = 0m;
        foreach (var position in Positions.All.Where(p => !Positions.IsIsolated(p.Symbol)))
        {
            var mark = books.Mark(VenueBooks.Spec(position.Symbol), second);
            crossUnrealized += position.UnrealizedPnl(mark);
            positionMargin += position.Size * mark / Positions.LeverageOf(position.Symbol);
        }

        return CrossWallet() + crossUnrealized - positionMargin - OpenOrderMargin();
    }

    /// <summary>Refuses an order whose opening part the account cannot margin, or that leverage's bracket does not allow.</summary>
    public void CheckOpening(SymbolSpec spec, string symbol, OrderSide side, PositionSide positionSide, decimal quantity, decimal price, long second)
    {
        var position = Positions.Find(symbol, positionSide);
        var opening = quantity;
        if (position is not null && position.Direction == -side.Sign())
        {
            opening = Math.Max(0, quantity - position.Size);
        }

        if (opening == 0)
        {
            return;
        }

        var leverage = Positions.LeverageOf(symbol);
        var resultingNotional = ((position is not null && position.Direction == side.Sign() ? position.Size : 0) + opening) * price;
        if (resultingNotional > MarginMath.MaxNotional(spec.Brackets, leverage))
        {
            throw new ExchangeException(-2027, "Exceeded the maximum allowable position at current leverage.");
        }

        var required = (opening * price / leverage) + (opening * price * TakerFeeRate);
        if (AvailableBalance(second) < required)
        {
            throw new ExchangeException(-2019, "Margin is insufficient.");
        }
    }

    public decimal LiquidationPrice(Position position, long second)
    {
        var spec = VenueBooks.Spec(position.Symbol);
        if (Positions.IsIsolated(position.Symbol))
        {
            return MarginMath.LiquidationPrice(spec.Brackets, position.IsolatedWallet, 0, 0, position.Direction, position.Size, position.EntryPrice);
        }

        decimal otherMaintenance = 0, otherUnrealized = 0;
        foreach (var other in Positions.All.Where(o => !ReferenceEquals(o, position) && !Positions.IsIsolated(o.Symbol)))
        {
            var otherSpec = VenueBooks.Spec(other.Symbol);
            var mark = books.Mark(otherSpec, second);
            otherMaintenance += MarginMath.MaintenanceMargin(otherSpec.Brackets, other.Size, mark);
            otherUnrealized += other.UnrealizedPnl(mark);
        }

        return MarginMath.LiquidationPrice(spec.Brackets, CrossWallet(), otherMaintenance, otherUnrealized, position.Direction, position.Size, position.EntryPrice);
    }
}
