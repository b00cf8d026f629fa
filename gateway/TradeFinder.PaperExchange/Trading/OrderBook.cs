namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The account's regular orders and its countdown (auto-cancel) timers. The history only grows, so open
/// orders and lookups are indexed: the hot paths (place, cancel, advance) never scan history.
/// </summary>
internal sealed class OrderBook
{
    private readonly List<PaperOrder> _history;
    private readonly List<PaperOrder> _open = [];
    private readonly Dictionary<long, PaperOrder> _byId = [];
    private readonly Dictionary<(string Symbol, string ClientId), PaperOrder> _byClientId = [];
    private readonly Dictionary<string, long> _countdowns;
    private long _nextOrderId;

    public OrderBook(AccountState state)
    {
        _history = [.. state.Orders];
        _countdowns = new Dictionary<string, long>(state.Countdowns);
        _nextOrderId = state.NextOrderId;
        foreach (var order in _history)
        {
            Index(order);
        }
    }

    /// <summary>Open orders, in the order they were placed (fills walk them in this order).</summary>
    public IReadOnlyList<PaperOrder> Open => _open;

    public bool HasOpen => _open.Exists(o => o.Status.IsOpen());

    public bool HasCountdowns => _countdowns.Count > 0;

    public PaperOrder Create(string symbol, OrderSide side, PositionSide positionSide, OrderType type, TimeInForce tif, decimal price, decimal quantity, long ms, string clientId)
    {
        var order = new PaperOrder
        {
            OrderId = _nextOrderId++,
            ClientOrderId = clientId,
            Symbol = symbol,
            Side = side,
            PositionSide = positionSide,
            Type = type,
            OrigType = type,
            TimeInForce = tif,
            Price = price,
            OrigQty = quantity,
            Status = OrderStatus.NEW,
            Time = ms,
            UpdateTime = ms,
        };
        _history.Add(order);
        Index(order);
        return order;
    }

    /// <summary>Takes back the order just created (a test order is checked in full but never recorded).</summary>
    public void Discard(PaperOrder order)
    {
        _history.Remove(order);
        _open.Remove(order);
        _byId.Remove(order.OrderId);
        _byClientId.Remove((order.Symbol, order.ClientOrderId));
        _nextOrderId--;
    }

    public PaperOrder? Find(string symbol, long? orderId, string? clientId)
    {
        if (orderId is not null)
        {
            return _byId.TryGetValue(orderId.Value, out var byId) && byId.Symbol == symbol ? byId : null;
        }

        return clientId is not null && _byClientId.TryGetValue((symbol, clientId), out var byClient) ? byClient : null;
    }

    public PaperOrder? ById(long orderId) => _byId.GetValueOrDefault(orderId);

    public bool IsOpenClientId(string symbol, string clientId) =>
        _byClientId.TryGetValue((symbol, clientId), out var existing) && existing.Status.IsOpen();

    public int OpenCount(string symbol) => _open.Count(o => o.Symbol == symbol && o.Status.IsOpen());

    public bool HasOpenOn(string symbol) => _open.Exists(o => o.Symbol == symbol && o.Status.IsOpen());

    public IReadOnlyList<PaperOrder> OpenOrders(string? symbol) => [.. _open.Where(o => o.Status.IsOpen() && (symbol is null || o.Symbol == symbol))];

    public IReadOnlyList<PaperOrder> History(string symbol, long? fromOrderId, long? startTime, long? endTime, int limit) =>
        [.. _history
            .Where(o => o.Symbol == symbol && (fromOrderId is null || o.OrderId >= fromOrderId)
                && (startTime is null || o.Time >= startTime) && (endTime is null || o.Time <= endTime))
            .OrderBy(o => o.OrderId)
            .Take(limit)];

    public void CancelAllOpen(string symbol, long ms)
    {
        foreach (var order in _open.Where(o => o.Symbol == symbol && o.Status.IsOpen()))
        {
            order.Status = OrderStatus.CANCELED;
            order.UpdateTime = ms;
        }
    }

    /// <summary>Margin held by open orders that can add to a position, at each symbol's leverage.</summary>
    public decimal OpenOrderMargin(Func<string, int> leverageOf) => _open
        .Where(o => o.Status.IsOpen() && !o.ReduceOnly)
        .Sum(o => o.RemainingQty * o.Price / leverageOf(o.Symbol));

    /// <summary>Drops orders that are no longer open from the open index (after every change).</summary>
    public void PruneClosed() => _open.RemoveAll(o => !o.Status.IsOpen());

    public void SetCountdown(string symbol, long countdownMs, long ms)
    {
        if (countdownMs == 0)
        {
            _countdowns.Remove(symbol);
        }
        else
        {
            _countdowns[symbol] = ms + countdownMs;
        }
    }

    /// <summary>Symbols whose countdown has run out by <paramref name="ms"/>; each is returned once.</summary>
    public IReadOnlyList<string> TakeExpiredCountdowns(long ms)
    {
        var due = _countdowns.Where(c => ms >= c.Value).Select(c => c.Key).ToList();
        due.ForEach(symbol => _countdowns.Remove(symbol));
        return due;
    }

    public static string NewClientId(long ms) => "paper" + ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..10];

    public void SaveTo(AccountState state)
    {
        state.Orders = [.. _history];
        state.Countdowns = new Dictionary<string, long>(_countdowns);
        state.NextOrderId = _nextOrderId;
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
}
