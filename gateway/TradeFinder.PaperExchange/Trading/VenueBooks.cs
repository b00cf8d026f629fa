using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>The account's four books and the market they are priced against: what every desk of the venue works on.</summary>
internal sealed class VenueBooks(MarketData market, AccountState state)
{
    public MarketData Market { get; } = market;

    public OrderBook Orders { get; } = new(state);

    public AlgoBook Algos { get; } = new(state);

    public PositionBook Positions { get; } = new(state);

    public PaperAccount Account { get; } = new(state);

    /// <summary>Open regular and conditional orders on a symbol: the exchange caps them together.</summary>
    public int OpenOrderCount(string symbol) => Orders.OpenCount(symbol) + Algos.OpenCount(symbol);

    public bool HasPendingWork => Positions.Count > 0 || Orders.HasCountdowns || Orders.HasOpen || Algos.HasPending;

    public decimal Mark(SymbolSpec spec, long second) => Market.Prices.MarkPrice(spec, second);

    public static SymbolSpec Spec(string? symbol) => SymbolSpec.Find(symbol) ?? throw new ExchangeException(-1121, "Invalid symbol.");

    public AccountState ToState()
    {
        var state = new AccountState();
        Orders.SaveTo(state);
        Algos.SaveTo(state);
        Positions.SaveTo(state);
        Account.SaveTo(state);
        return state;
    }
}
