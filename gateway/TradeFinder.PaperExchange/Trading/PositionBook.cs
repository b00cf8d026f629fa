using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The account's positions, the position mode (one-way or hedge) and each symbol's leverage and margin type,
/// with the position arithmetic of a fill: average entry, realized PnL, isolated margin, flips.
/// </summary>
internal sealed class PositionBook
{
    private readonly List<Position> _positions;
    private readonly Dictionary<string, SymbolSettings> _symbols;

    public PositionBook(AccountState state)
    {
        _positions = [.. state.Positions];
        _symbols = new Dictionary<string, SymbolSettings>(state.Symbols);
        DualSidePosition = state.DualSidePosition;
    }

    public IReadOnlyList<Position> All => _positions;

    public int Count => _positions.Count;

    /// <summary>Hedge mode: LONG and SHORT positions side by side; otherwise one net (BOTH) position per symbol.</summary>
    public bool DualSidePosition { get; set; }

    public SymbolSettings SettingsFor(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var settings))
        {
            settings = new SymbolSettings();
            _symbols[symbol] = settings;
        }

        return settings;
    }

    public bool IsIsolated(string symbol) => SettingsFor(symbol).MarginType == MarginType.ISOLATED;

    public int LeverageOf(string symbol) => SettingsFor(symbol).Leverage;

    /// <summary>The position side an order may name in this mode: LONG/SHORT (and no reduceOnly) in hedge mode, BOTH otherwise.</summary>
    public PositionSide ResolveSide(PositionSide? requested, bool reduceOnlySent)
    {
        if (DualSidePosition)
        {
            if (requested is null or PositionSide.BOTH)
            {
                throw new ExchangeException(-4061, "Order's position side does not match user's setting.");
            }

            if (reduceOnlySent)
            {
                throw new ExchangeException(-1106, "Parameter 'reduceonly' sent when not required.");
            }

            return requested.Value;
        }

        if (requested is PositionSide.LONG or PositionSide.SHORT)
        {
            throw new ExchangeException(-4061, "Order's position side does not match user's setting.");
        }

        return PositionSide.BOTH;
    }

    /// <summary>Which position an order side addresses: its own in hedge mode, the net one otherwise.</summary>
    public PositionSide KeyFor(PositionSide requested) => DualSidePosition ? requested : PositionSide.BOTH;

    public Position? Find(string symbol, PositionSide side) => _positions.Find(p => p.Symbol == symbol && p.Side == side);

    public IReadOnlyList<Position> On(string symbol) => [.. _positions.Where(p => p.Symbol == symbol)];

    public decimal SizeOf(string symbol, PositionSide side) => Find(symbol, side)?.Size ?? 0;

    /// <summary>One-way: the order is against the net position. Hedge: LONG+SELL and SHORT+BUY close.</summary>
    public bool IsReducing(OrderSide side, PositionSide positionSide, string symbol) => positionSide switch
    {
        PositionSide.LONG => side == OrderSide.SELL,
        PositionSide.SHORT => side == OrderSide.BUY,
        _ => Find(symbol, PositionSide.BOTH) is { } p && p.Direction == -side.Sign(),
    };

    /// <summary>How much of <paramref name="side"/>'s order the position it addresses lets a reduce-only order close.</summary>
    public decimal ReducibleBy(string symbol, PositionSide positionSide, OrderSide side) =>
        Find(symbol, KeyFor(positionSide)) is { } position && position.Direction == -side.Sign() ? position.Size : 0;

    /// <summary>Applies <paramref name="qty"/> at <paramref name="price"/> to the position the order addresses; returns the realized PnL.</summary>
    public decimal Apply(PaperOrder order, decimal qty, decimal price, long ms)
    {
        var settings = SettingsFor(order.Symbol);
        var key = KeyFor(order.PositionSide);
        var position = Find(order.Symbol, key);
        if (position is null)
        {
            position = new Position { Symbol = order.Symbol, Side = key };
            _positions.Add(position);
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
            _positions.Remove(position);
        }

        position.UpdateTime = ms;
        return realized;
    }

    public decimal IsolatedMargin => _positions.Sum(p => p.IsolatedWallet);

    public void SaveTo(AccountState state)
    {
        state.Positions = [.. _positions];
        state.Symbols = new Dictionary<string, SymbolSettings>(_symbols);
        state.DualSidePosition = DualSidePosition;
    }
}
