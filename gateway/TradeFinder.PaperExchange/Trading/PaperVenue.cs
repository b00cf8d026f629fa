using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The simulated account and matching engine. One lock guards all state; before any operation the venue
/// replays every second since it last looked (resting fills, algo triggers, countdowns, liquidations), so
/// what happens depends only on the price path and the requests, never on timer jitter.
/// </summary>
internal sealed partial class PaperVenue
{
    public const decimal MakerFeeRate = 0.0002m;
    public const decimal TakerFeeRate = 0.0005m;
    private const int MaxCatchUpSeconds = 3600;

    private readonly Lock _gate = new();
    private readonly MarketData _market;
    private readonly decimal _startingBalance;
    private readonly List<PaperOrder> _open = [];
    private readonly Dictionary<long, PaperOrder> _byId = [];
    private readonly Dictionary<(string Symbol, string ClientId), PaperOrder> _byClientId = [];
    private AccountState _state;
    private long _lastSecond;

    public PaperVenue(MarketData market, decimal startingBalance, AccountState? restored = null)
    {
        _market = market;
        _startingBalance = startingBalance;
        _state = restored ?? AccountState.Fresh(startingBalance);
        _lastSecond = market.NowSecond;
        RebuildIndexes();
    }

    /// <summary>Raised (under the lock) after any change, so the state can be saved.</summary>
    public event Action? Changed;

    public MarketData Market => _market;

    /// <summary>Runs an operation at the current time, after catching up on everything due before it.</summary>
    public T Execute<T>(Func<long, T> operation, bool mutates = true)
    {
        lock (_gate)
        {
            Advance();
            var result = operation(_market.NowMs);
            if (mutates)
            {
                _open.RemoveAll(o => !o.Status.IsOpen());
                Changed?.Invoke();
            }

            return result;
        }
    }

    /// <summary>Processes due events without a request (called periodically).</summary>
    public void Tick() => Execute(_ => 0, mutates: true);

    /// <summary>
    /// Settles the current second again at the current price: resting orders that now cross fill and
    /// triggers that are now hit fire. Used after a price pin, which changes the price within a second that
    /// may already have been processed.
    /// </summary>
    public void SettleNow() => Execute(ms =>
    {
        var second = ms / 1000;
        FillRestingOrders(second, ms);
        TriggerAlgoOrders(second, ms);
        CheckLiquidations(second, ms);
        return 0;
    }, mutates: true);

    public AccountState Snapshot()
    {
        lock (_gate)
        {
            return System.Text.Json.JsonSerializer.Deserialize<AccountState>(System.Text.Json.JsonSerializer.Serialize(_state, TradeFinder.PaperExchange.Persistence.StateStore.Json), TradeFinder.PaperExchange.Persistence.StateStore.Json)!;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = AccountState.Fresh(_startingBalance);
            _lastSecond = _market.NowSecond;
            RebuildIndexes();
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// The order history only grows, so open orders and lookups are indexed: the hot paths (place, cancel,
    /// advance) never scan history.
    /// </summary>
    private void RebuildIndexes()
    {
        _open.Clear();
        _byId.Clear();
        _byClientId.Clear();
        foreach (var order in _state.Orders)
        {
            Index(order);
        }
    }

    private void Index(PaperOrder order)
    {
        _byId[order.OrderId] = order;
        _byClientId[(order.Symbol, order.ClientOrderId)] = order;
        if (order.Status.IsOpen())
        {
            _open.Add(order);
        }
    }

    private void Advance()
    {
        var now = _market.NowSecond;
        if (now <= _lastSecond)
        {
            return;
        }

        if (!HasPendingWork())
        {
            _lastSecond = now;
            return;
        }

        for (var second = Math.Max(_lastSecond + 1, now - MaxCatchUpSeconds); second <= now; second++)
        {
            var ms = second * 1000;
            RunCountdowns(ms);
            FillRestingOrders(second, ms);
            TriggerAlgoOrders(second, ms);
            CheckLiquidations(second, ms);
        }

        _lastSecond = now;
    }

    private bool HasPendingWork() =>
        _state.Positions.Count > 0 || _state.Countdowns.Count > 0
        || _open.Exists(o => o.Status.IsOpen()) || _state.AlgoOrders.Exists(a => a.AlgoStatus is AlgoStatus.NEW or AlgoStatus.TRIGGERED);

    private static SymbolSpec Spec(string? symbol) =>
        SymbolSpec.Find(symbol) ?? throw new ExchangeException(-1121, "Invalid symbol.");

    private SymbolSettings Settings(string symbol)
    {
        if (!_state.Symbols.TryGetValue(symbol, out var settings))
        {
            settings = new SymbolSettings();
            _state.Symbols[symbol] = settings;
        }

        return settings;
    }

    private decimal Mark(SymbolSpec spec, long second) => _market.Prices.MarkPrice(spec, second);

    private void RunCountdowns(long ms)
    {
        foreach (var (symbol, deadline) in _state.Countdowns.ToArray())
        {
            if (ms >= deadline)
            {
                _state.Countdowns.Remove(symbol);
                CancelAllOpen(symbol, ms);
            }
        }
    }

    private void AddIncome(string symbol, string type, decimal amount, long ms, string tradeId = "")
    {
        if (amount == 0)
        {
            return;
        }

        _state.Income.Add(new IncomeRecord(_state.NextTranId++, symbol, type, amount, "", ms, tradeId));
    }
}
