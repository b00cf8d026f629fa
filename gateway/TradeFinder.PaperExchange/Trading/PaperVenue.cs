using System.Text.Json;
using System.Text.Json.Nodes;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The simulated account and matching engine, as one lock around its collaborators: four books with their own
/// state (<see cref="OrderBook"/>, <see cref="AlgoBook"/>, <see cref="PositionBook"/>, <see cref="PaperAccount"/>)
/// and the desks that work on them (orders, algo orders, settings, settlement, margin, views). Before any
/// operation the venue replays every second since it last looked (countdowns, resting fills, algo triggers,
/// liquidations), so what happens depends only on the price path and the requests, never on timer jitter.
/// </summary>
internal sealed class PaperVenue
{
    private const int MaxCatchUpSeconds = 3600;

    private readonly Lock _gate = new();
    private readonly MarketData _market;
    private readonly decimal _startingBalance;
    private Desks _desks;
    private long _lastSecond;

    public PaperVenue(MarketData market, decimal startingBalance, AccountState? restored = null)
    {
        _market = market;
        _startingBalance = startingBalance;
        _desks = new Desks(new VenueBooks(market, restored ?? AccountState.Fresh(startingBalance)));
        _lastSecond = market.NowSecond;
    }

    /// <summary>Raised (under the lock) after any change, so the state can be saved.</summary>
    public event Action? Changed;

    public MarketData Market => _market;

    private readonly UserDataFeed _userData = new();

    /// <summary>A connection's events for an active listen key, or null when the key is not active.</summary>
    public System.Threading.Channels.ChannelReader<string>? SubscribeUserData(string listenKey)
    {
        lock (_gate)
        {
            var ms = _market.NowMs;
            return _userData.Subscribe(listenKey, k => _desks.Books.Account.IsListenKeyActive(k, ms));
        }
    }

    /// <summary>Drops every user-data connection (the keys stay active), as a network failure would.</summary>
    public void DropUserDataConnections()
    {
        lock (_gate)
        {
            _userData.DropConnections();
        }
    }

    public void UnsubscribeUserData(System.Threading.Channels.ChannelReader<string> events)
    {
        lock (_gate)
        {
            _userData.Unsubscribe(events);
        }
    }

    /// <summary>Runs an operation at the current time, after catching up on everything due before it.</summary>
    public T Execute<T>(Func<long, T> operation, bool mutates = true)
    {
        lock (_gate)
        {
            Advance();
            var result = operation(_market.NowMs);
            if (mutates)
            {
                var ms = _market.NowMs;
                _userData.Collect(_desks.Books, ms, symbol => _desks.Views.PositionRiskView(ms, v3: false, symbol));
                _desks.Books.Orders.PruneClosed();
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
        Settle(ms / 1000, ms);
        return 0;
    }, mutates: true);

    /// <summary>The whole account as the state file holds it (UTF-8 JSON), taken under the lock.</summary>
    public byte[] SnapshotJson()
    {
        lock (_gate)
        {
            return JsonSerializer.SerializeToUtf8Bytes(_desks.Books.ToState(), StateJson.Default.AccountState);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _desks = new Desks(new VenueBooks(_market, AccountState.Fresh(_startingBalance)));
            _lastSecond = _market.NowSecond;
            Changed?.Invoke();
        }
    }

    // Orders, algo orders, settings, account data and views: each call runs inside Execute, under the lock.
    public PaperOrder PlaceOrder(OrderRequest request, long ms, bool testOnly = false) => _desks.Orders.Place(request, ms, testOnly);

    public PaperOrder ModifyOrder(string symbol, long? orderId, string? clientId, OrderSide side, decimal quantity, decimal price, long ms) =>
        _desks.Orders.Modify(symbol, orderId, clientId, side, quantity, price, ms);

    public PaperOrder CancelOrder(string symbol, long? orderId, string? clientId, long ms) => _desks.Orders.Cancel(symbol, orderId, clientId, ms);

    public PaperOrder QueryOrder(string symbol, long? orderId, string? clientId) => _desks.Orders.Query(symbol, orderId, clientId);

    public void CancelAllOpen(string symbol, long ms) => _desks.Orders.CancelAllOpen(symbol, ms);

    public IReadOnlyList<PaperOrder> OpenOrders(string? symbol) => _desks.Orders.Open(symbol);

    public IReadOnlyList<PaperOrder> AllOrders(string symbol, long? fromOrderId, long? startTime, long? endTime, int limit) =>
        _desks.Orders.All(symbol, fromOrderId, startTime, endTime, limit);

    public long SetCountdown(string symbol, long countdownMs, long ms) => _desks.Orders.SetCountdown(symbol, countdownMs, ms);

    public AlgoOrder PlaceAlgo(AlgoRequest request, long ms) => _desks.Algos.Place(request, ms);

    public AlgoOrder CancelAlgo(long? algoId, string? clientAlgoId, long ms) => _desks.Algos.Cancel(algoId, clientAlgoId, ms);

    public AlgoOrder QueryAlgo(long? algoId, string? clientAlgoId) => _desks.Algos.Query(algoId, clientAlgoId);

    public IReadOnlyList<AlgoOrder> OpenAlgos(string? symbol) => _desks.Books.Algos.OpenAlgos(symbol);

    public IReadOnlyList<AlgoOrder> AllAlgos(string symbol, long? startTime, long? endTime, int limit) => _desks.Algos.All(symbol, startTime, endTime, limit);

    public void CancelAllAlgos(string symbol, long ms) => _desks.Algos.CancelAll(symbol, ms);

    public (int Leverage, decimal MaxNotional) SetLeverage(string symbol, int leverage) => _desks.Settings.SetLeverage(symbol, leverage);

    public void SetMarginType(string symbol, MarginType marginType) => _desks.Settings.SetMarginType(symbol, marginType);

    public bool DualSidePosition => _desks.Books.Positions.DualSidePosition;

    public void SetDualSidePosition(bool dual) => _desks.Settings.SetDualSidePosition(dual);

    public (decimal Amount, int Type) ModifyIsolatedMargin(string symbol, PositionSide? requestedSide, decimal amount, int type, long ms) =>
        _desks.Settings.ModifyIsolatedMargin(symbol, requestedSide, amount, type, ms);

    public string CreateListenKey(long ms) => _desks.Books.Account.CreateListenKey(ms);

    public void KeepAliveListenKey(string? key, long ms) => _desks.Books.Account.KeepAliveListenKey(key, ms);

    public void CloseListenKey(string? key) => _desks.Books.Account.CloseListenKey(key);

    /// <summary>Ends every listen key now (a test's way to make a key expire): their streams get <c>listenKeyExpired</c>.</summary>
    /// <summary>Moves USDT in or out of the wallet outside trading (control API: a withdrawal, deposit or transfer).</summary>
    public void Transfer(decimal amount, string reason) => Execute(ms =>
    {
        _userData.Transfer(_desks.Books, amount, reason, ms);
        return 0;
   });

    public void ExpireListenKeys() => Execute(_ =>
    {
        _desks.Books.Account.CloseListenKey(null);
        return 0;
   });

    public IReadOnlyList<TradeRecord> UserTrades(string symbol, long? startTime, long? endTime, long? fromId, int limit)
    {
        VenueBooks.Spec(symbol);
        return _desks.Books.Account.Trades(symbol, startTime, endTime, fromId, limit);
    }

    public IReadOnlyList<IncomeRecord> Income(string? symbol, string? incomeType, long? startTime, long? endTime, int limit) =>
        _desks.Books.Account.Income(symbol, incomeType, startTime, endTime, limit);

    public JsonObject AccountView(long ms, bool v3) => _desks.Views.AccountView(ms, v3);

    public JsonNode[] BalanceView(long ms) => _desks.Views.BalanceView(ms);

    public JsonNode[] PositionRiskView(long ms, bool v3, string? symbol) => _desks.Views.PositionRiskView(ms, v3, symbol);

    private void Advance()
    {
        var now = _market.NowSecond;
        if (now <= _lastSecond)
        {
            return;
        }

        if (!_desks.Books.HasPendingWork)
        {
            _lastSecond = now;
            return;
        }

        for (var second = Math.Max(_lastSecond + 1, now - MaxCatchUpSeconds); second <= now; second++)
        {
            var ms = second * 1000;
            _desks.Orders.RunCountdowns(ms);
            Settle(second, ms);
        }

        _lastSecond = now;
    }

    private void Settle(long second, long ms)
    {
        _desks.Orders.FillResting(second, ms);
        _desks.Algos.Trigger(second, ms);
        _desks.Settlement.CheckLiquidations(second, ms);
    }

    /// <summary>The books and the desks that work on them; replaced whole on reset.</summary>
    private sealed class Desks
    {
        public Desks(VenueBooks books)
        {
            Books = books;
            var margin = new MarginCalculator(books);
            Settlement = new Settlement(books, margin);
            Orders = new OrderDesk(books, margin, Settlement);
            Algos = new AlgoDesk(books, margin, Settlement);
            Settings = new SettingsDesk(books, margin);
            Views = new AccountViews(books, margin);
        }

        public VenueBooks Books { get; }

        public Settlement Settlement { get; }

        public OrderDesk Orders { get; }

        public AlgoDesk Algos { get; }

        public SettingsDesk Settings { get; }

        public AccountViews Views { get; }
    }
}
