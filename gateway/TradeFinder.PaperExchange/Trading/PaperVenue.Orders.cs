using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

internal sealed partial class PaperVenue
{
    private const int MaxOpenPerSymbol = SymbolSpec.MaxNumOrders;

    public PaperOrder PlaceOrder(OrderRequest request, long ms, bool testOnly = false)
    {
        var spec = Spec(request.Symbol);
        if (request.Type.IsConditional())
        {
            throw new ExchangeException(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
        }

        var positionSide = ResolvePositionSide(request.PositionSide, request.ReduceOnlySent);
        var second = ms / 1000;
        var (bid, ask) = _market.Top(spec, second);
        var mark = Mark(spec, second);
        var quantity = request.Quantity ?? throw ExchangeException.Mandatory("quantity");
        decimal price;
        TimeInForce tif;
        if (request.Type == OrderType.LIMIT)
        {
            tif = request.TimeInForce ?? throw ExchangeException.Mandatory("timeInForce");
            price = request.Price ?? throw ExchangeException.Mandatory("price");
            Filters.Price(spec, price);
            Filters.Quantity(spec, quantity, market: false);
            Filters.PercentPrice(spec, request.Side, price, mark);
            if (tif == TimeInForce.GTD)
            {
                var gtd = request.GoodTillDate ?? throw ExchangeException.Mandatory("goodTillDate");
                if (gtd <= ms + 600_000 || gtd >= 253402300799000)
                {
                    throw new ExchangeException(-4129, "goodTillDate must be greater than the current time plus 600 seconds and smaller than 253402300799000.");
                }
            }
        }
        else
        {
            if (request.Price is not null)
            {
                throw new ExchangeException(-1106, "Parameter 'price' sent when not required.");
            }

            tif = TimeInForce.GTC;
            Filters.Quantity(spec, quantity, market: true);
            price = request.Side == OrderSide.BUY ? ask : bid;
        }

        var reducing = IsReducing(request.Side, positionSide, request.Symbol);
        var reduceOnly = request.ReduceOnly || (_state.DualSidePosition && reducing);
        if (request.ReduceOnly && !reducing)
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        if (_state.DualSidePosition && reducing && !HasPosition(request.Symbol, positionSide))
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        Filters.MinNotional(spec, quantity, request.Type == OrderType.MARKET ? mark : price, reduceOnly);
        var clientId = request.ClientOrderId ?? NewClientId(ms);
        if (_byClientId.TryGetValue((request.Symbol, clientId), out var existing) && existing.Status.IsOpen())
        {
            throw new ExchangeException(-4116, "ClientOrderId is duplicated.");
        }

        if (OpenCount(request.Symbol) >= MaxOpenPerSymbol)
        {
            throw new ExchangeException(-2025, "Reach max open order limit.");
        }

        if (!reduceOnly)
        {
            CheckMargin(spec, request.Symbol, request.Side, positionSide, quantity, request.Type == OrderType.MARKET ? ask : price, second);
        }

        var crosses = request.Type == OrderType.MARKET || (request.Side == OrderSide.BUY ? price >= ask : price <= bid);
        if (request.Type == OrderType.LIMIT && tif == TimeInForce.GTX && crosses)
        {
            throw new ExchangeException(-5022, "Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history");
        }

        if (request.Type == OrderType.LIMIT && tif == TimeInForce.FOK && !crosses)
        {
            throw new ExchangeException(-5021, "Due to the order could not be filled immediately, the FOK order has been rejected. The order will not be recorded in the order history");
        }

        var order = NewOrder(request.Symbol, request.Side, positionSide, request.Type, tif, request.Type == OrderType.LIMIT ? price : 0, quantity, ms, clientId);
        order.ReduceOnly = reduceOnly;
        order.GoodTillDate = tif == TimeInForce.GTD ? request.GoodTillDate ?? 0 : 0;
        if (testOnly)
        {
            _state.Orders.Remove(order);
            _open.Remove(order);
            _byId.Remove(order.OrderId);
            _byClientId.Remove((order.Symbol, order.ClientOrderId));
            _state.NextOrderId--;
            return order;
        }

        if (crosses)
        {
            var fillPrice = request.Side == OrderSide.BUY ? ask : bid;
            var fillQty = reduceOnly ? Math.Min(quantity, PositionSize(request.Symbol, positionSide)) : quantity;
            if (fillQty > 0)
            {
                ApplyFill(order, fillQty, fillPrice, maker: false, ms);
            }

            if (order.Status != OrderStatus.FILLED)
            {
                order.Status = OrderStatus.EXPIRED;
            }
        }
        else if (tif == TimeInForce.IOC)
        {
            order.Status = OrderStatus.EXPIRED;
        }

        return order;
    }

    public PaperOrder ModifyOrder(string symbol, long? orderId, string? clientId, OrderSide side, decimal quantity, decimal price, long ms)
    {
        var spec = Spec(symbol);
        var order = FindOrder(symbol, orderId, clientId) ?? throw new ExchangeException(-2013, "Order does not exist.");
        if (!order.Status.IsOpen())
        {
            throw new ExchangeException(-2011, "Unknown order sent.");
        }

        if (order.Type != OrderType.LIMIT || order.Side != side)
        {
            throw new ExchangeException(-1116, "Only LIMIT orders of the same side can be modified.");
        }

        Filters.Price(spec, price);
        Filters.Quantity(spec, quantity, market: false);
        Filters.PercentPrice(spec, side, price, Mark(spec, ms / 1000));
        if (quantity <= order.ExecutedQty)
        {
            throw new ExchangeException(-4003, "Quantity less than or equal to zero.");
        }

        var (bid, ask) = _market.Top(spec, ms / 1000);
        order.Price = price;
        order.OrigQty = quantity;
        order.UpdateTime = ms;
        if (side == OrderSide.BUY ? price >= ask : price <= bid)
        {
            ApplyFill(order, order.RemainingQty, side == OrderSide.BUY ? ask : bid, maker: false, ms);
        }

        return order;
    }

    public PaperOrder CancelOrder(string symbol, long? orderId, string? clientId, long ms)
    {
        Spec(symbol);
        if (orderId is null && clientId is null)
        {
            throw new ExchangeException(-1102, "Either orderId or origClientOrderId must be sent.");
        }

        var order = FindOrder(symbol, orderId, clientId);
        if (order is null || !order.Status.IsOpen())
        {
            throw new ExchangeException(-2011, "Unknown order sent.");
        }

        order.Status = OrderStatus.CANCELED;
        order.UpdateTime = ms;
        return order;
    }

    public PaperOrder QueryOrder(string symbol, long? orderId, string? clientId)
    {
        Spec(symbol);
        if (orderId is null && clientId is null)
        {
            throw new ExchangeException(-1102, "Either orderId or origClientOrderId must be sent.");
        }

        return FindOrder(symbol, orderId, clientId) ?? throw new ExchangeException(-2013, "Order does not exist.");
    }

    public void CancelAllOpen(string symbol, long ms)
    {
        Spec(symbol);
        foreach (var order in _open.Where(o => o.Symbol == symbol && o.Status.IsOpen()))
        {
            order.Status = OrderStatus.CANCELED;
            order.UpdateTime = ms;
        }
    }

    public IReadOnlyList<PaperOrder> OpenOrders(string? symbol)
    {
        if (symbol is not null)
        {
            Spec(symbol);
        }

        return [.. _open.Where(o => o.Status.IsOpen() && (symbol is null || o.Symbol == symbol))];
    }

    public IReadOnlyList<PaperOrder> AllOrders(string symbol, long? fromOrderId, long? startTime, long? endTime, int limit)
    {
        Spec(symbol);
        return [.. _state.Orders
            .Where(o => o.Symbol == symbol && (fromOrderId is null || o.OrderId >= fromOrderId)
                && (startTime is null || o.Time >= startTime) && (endTime is null || o.Time <= endTime))
            .OrderBy(o => o.OrderId)
            .Take(limit)];
    }

    public long SetCountdown(string symbol, long countdownMs, long ms)
    {
        Spec(symbol);
        if (countdownMs == 0)
        {
            _state.Countdowns.Remove(symbol);
        }
        else
        {
            _state.Countdowns[symbol] = ms + countdownMs;
        }

        return countdownMs;
    }

    private PaperOrder NewOrder(string symbol, OrderSide side, PositionSide positionSide, OrderType type, TimeInForce tif, decimal price, decimal quantity, long ms, string clientId)
    {
        var order = new PaperOrder
        {
            OrderId = _state.NextOrderId++,
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
        _state.Orders.Add(order);
        Index(order);
        return order;
    }

    private PositionSide ResolvePositionSide(PositionSide? requested, bool reduceOnlySent)
    {
        if (_state.DualSidePosition)
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

    /// <summary>One-way: the order is against the net position. Hedge: LONG+SELL and SHORT+BUY close.</summary>
    private bool IsReducing(OrderSide side, PositionSide positionSide, string symbol) => positionSide switch
    {
        PositionSide.LONG => side == OrderSide.SELL,
        PositionSide.SHORT => side == OrderSide.BUY,
        _ => FindPosition(symbol, PositionSide.BOTH) is { } p && p.Direction == -side.Sign(),
    };

    private bool HasPosition(string symbol, PositionSide side) => PositionSize(symbol, side) > 0;

    private decimal PositionSize(string symbol, PositionSide side) => FindPosition(symbol, side)?.Size ?? 0;

    private int OpenCount(string symbol) =>
        _open.Count(o => o.Symbol == symbol && o.Status.IsOpen())
        + _state.AlgoOrders.Count(a => a.Symbol == symbol && a.AlgoStatus == AlgoStatus.NEW);

    private PaperOrder? FindOrder(string symbol, long? orderId, string? clientId)
    {
        if (orderId is not null)
        {
            return _byId.TryGetValue(orderId.Value, out var byId) && byId.Symbol == symbol ? byId : null;
        }

        return clientId is not null && _byClientId.TryGetValue((symbol, clientId), out var byClient) ? byClient : null;
    }

    private static string NewClientId(long ms) => "paper" + ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..10];

    private void CheckMargin(SymbolSpec spec, string symbol, OrderSide side, PositionSide positionSide, decimal quantity, decimal price, long second)
    {
        var settings = Settings(symbol);
        var position = FindPosition(symbol, positionSide);
        var opening = quantity;
        if (position is not null && position.Direction == -side.Sign())
        {
            opening = Math.Max(0, quantity - position.Size);
        }

        if (opening == 0)
        {
            return;
        }

        var resultingNotional = ((position is not null && position.Direction == side.Sign() ? position.Size : 0) + opening) * price;
        if (resultingNotional > MarginMath.MaxNotional(spec.Brackets, settings.Leverage))
        {
            throw new ExchangeException(-2027, "Exceeded the maximum allowable position at current leverage.");
        }

        var required = (opening * price / settings.Leverage) + (opening * price * TakerFeeRate);
        if (AvailableBalance(second) < required)
        {
            throw new ExchangeException(-2019, "Margin is insufficient.");
        }
    }

    private void FillRestingOrders(long second, long ms)
    {
        foreach (var order in _open)
        {
            if (!order.Status.IsOpen() || order.Type != OrderType.LIMIT)
            {
                continue;
            }

            if (order.TimeInForce == TimeInForce.GTD && order.GoodTillDate > 0 && ms >= order.GoodTillDate)
            {
                order.Status = OrderStatus.EXPIRED;
                order.UpdateTime = ms;
                continue;
            }

            var (bid, ask) = _market.Top(Spec(order.Symbol), second);
            var fills = order.Side == OrderSide.BUY ? ask <= order.Price : bid >= order.Price;
            if (!fills)
            {
                continue;
            }

            var qty = order.RemainingQty;
            if (order.ReduceOnly)
            {
                var key = PositionKey(_state.DualSidePosition, order.PositionSide);
                var position = FindPosition(order.Symbol, key);
                qty = position is not null && position.Direction == -order.Side.Sign() ? Math.Min(qty, position.Size) : 0;
            }

            if (qty > 0)
            {
                ApplyFill(order, qty, order.Price, maker: true, ms);
            }

            if (order.Status.IsOpen() && order.ReduceOnly)
            {
                order.Status = OrderStatus.EXPIRED;
                order.UpdateTime = ms;
            }
        }
    }
}
