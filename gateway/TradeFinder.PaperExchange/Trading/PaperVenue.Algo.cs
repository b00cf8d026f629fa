using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

internal sealed partial class PaperVenue
{
    public AlgoOrder PlaceAlgo(AlgoRequest request, long ms)
    {
        var spec = Spec(request.Symbol);
        var positionSide = ResolvePositionSide(request.PositionSide, request.ReduceOnlySent);
        var second = ms / 1000;
        var isMarketType = request.Type is OrderType.STOP_MARKET or OrderType.TAKE_PROFIT_MARKET or OrderType.TRAILING_STOP_MARKET;
        if (request.ClosePosition)
        {
            if (request.Type is not (OrderType.STOP_MARKET or OrderType.TAKE_PROFIT_MARKET))
            {
                throw new ExchangeException(-1106, "Parameter 'closePosition' sent when not required.");
            }

            if (request.Quantity is not null)
            {
                throw new ExchangeException(-4137, "Quantity must be zero with closePosition equals true.");
            }

            if ((request.Side == OrderSide.BUY && positionSide == PositionSide.LONG) || (request.Side == OrderSide.SELL && positionSide == PositionSide.SHORT))
            {
                throw new ExchangeException(-4138, "Reduce only must be true with closePosition equals true.");
            }
        }
        else
        {
            var quantity = request.Quantity ?? throw ExchangeException.Mandatory("quantity");
            Filters.Quantity(spec, quantity, market: isMarketType);
        }

        if (!isMarketType)
        {
            var price = request.Price ?? throw ExchangeException.Mandatory("price");
            Filters.Price(spec, price);
        }
        else if (request.Price is not null)
        {
            throw new ExchangeException(-1106, "Parameter 'price' sent when not required.");
        }

        var current = request.WorkingType == WorkingType.MARK_PRICE ? Mark(spec, second) : _market.Prices.LastPrice(spec, second);
        decimal trigger = 0, callback = 0, activate = 0;
        if (request.Type == OrderType.TRAILING_STOP_MARKET)
        {
            callback = request.CallbackRate ?? throw ExchangeException.Mandatory("callbackRate");
            if (callback is < 0.1m or > 10m)
            {
                throw new ExchangeException(-4058, "Callback rate must be between 0.1 and 10.");
            }

            activate = request.ActivatePrice ?? 0;
            if (activate > 0)
            {
                Filters.Price(spec, activate);
                if (request.Side == OrderSide.SELL ? activate <= current : activate >= current)
                {
                    throw new ExchangeException(-2021, "Order would immediately trigger.");
                }
            }
        }
        else
        {
            trigger = request.TriggerPrice ?? throw ExchangeException.Mandatory("triggerPrice");
            Filters.Price(spec, trigger);
            if (Triggered(request.Type, request.Side, trigger, current))
            {
                throw new ExchangeException(-2021, "Order would immediately trigger.");
            }
        }

        if (request.ReduceOnly && !IsReducing(request.Side, positionSide, request.Symbol) && !_state.DualSidePosition)
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        if (OpenCount(request.Symbol) >= MaxOpenPerSymbol || _state.AlgoOrders.Count(a => a.AlgoStatus == AlgoStatus.NEW) >= 200)
        {
            throw new ExchangeException(-2025, "Reach max open order limit.");
        }

        var clientId = request.ClientAlgoId ?? NewClientId(ms);
        if (_state.AlgoOrders.Exists(a => a.AlgoStatus == AlgoStatus.NEW && a.ClientAlgoId == clientId))
        {
            throw new ExchangeException(-4116, "ClientOrderId is duplicated.");
        }

        var algo = new AlgoOrder
        {
            AlgoId = _state.NextAlgoId++,
            ClientAlgoId = clientId,
            Symbol = request.Symbol,
            Side = request.Side,
            PositionSide = positionSide,
            OrderType = request.Type,
            TimeInForce = request.TimeInForce,
            Quantity = request.Quantity ?? 0,
            Price = request.Price ?? 0,
            TriggerPrice = trigger,
            WorkingType = request.WorkingType,
            ClosePosition = request.ClosePosition,
            PriceProtect = request.PriceProtect,
            ReduceOnly = request.ReduceOnly || request.ClosePosition,
            ActivatePrice = activate,
            CallbackRate = callback,
            Activated = request.Type == OrderType.TRAILING_STOP_MARKET && activate == 0,
            Extreme = current,
            AlgoStatus = AlgoStatus.NEW,
            CreateTime = ms,
            UpdateTime = ms,
        };
        _state.AlgoOrders.Add(algo);
        return algo;
    }

    public AlgoOrder CancelAlgo(long? algoId, string? clientAlgoId, long ms)
    {
        var algo = FindAlgo(algoId, clientAlgoId);
        if (algo is null || algo.AlgoStatus != AlgoStatus.NEW)
        {
            throw new ExchangeException(-2011, "Unknown order sent.");
        }

        algo.AlgoStatus = AlgoStatus.CANCELED;
        algo.UpdateTime = ms;
        return algo;
    }

    public AlgoOrder QueryAlgo(long? algoId, string? clientAlgoId) =>
        FindAlgo(algoId, clientAlgoId) ?? throw new ExchangeException(-2013, "Order does not exist.");

    public IReadOnlyList<AlgoOrder> OpenAlgos(string? symbol) =>
        [.. _state.AlgoOrders.Where(a => a.AlgoStatus == AlgoStatus.NEW && (symbol is null || a.Symbol == symbol))];

    public IReadOnlyList<AlgoOrder> AllAlgos(string symbol, long? startTime, long? endTime, int limit)
    {
        Spec(symbol);
        return [.. _state.AlgoOrders.Where(a => a.Symbol == symbol && (startTime is null || a.CreateTime >= startTime) && (endTime is null || a.CreateTime <= endTime)).Take(limit)];
    }

    public void CancelAllAlgos(string symbol, long ms)
    {
        Spec(symbol);
        foreach (var algo in _state.AlgoOrders.Where(a => a.Symbol == symbol && a.AlgoStatus == AlgoStatus.NEW))
        {
            algo.AlgoStatus = AlgoStatus.CANCELED;
            algo.UpdateTime = ms;
        }
    }

    private AlgoOrder? FindAlgo(long? algoId, string? clientAlgoId)
    {
        if (algoId is null && clientAlgoId is null)
        {
            throw new ExchangeException(-1102, "Either algoId or clientAlgoId must be sent.");
        }

        return algoId is not null
            ? _state.AlgoOrders.Find(a => a.AlgoId == algoId)
            : _state.AlgoOrders.FindLast(a => a.ClientAlgoId == clientAlgoId);
    }

    /// <summary>STOP* fires when the price moves through the trigger against the side; TAKE_PROFIT* the reverse.</summary>
    private static bool Triggered(OrderType type, OrderSide side, decimal trigger, decimal price) => type switch
    {
        OrderType.STOP or OrderType.STOP_MARKET => side == OrderSide.BUY ? price >= trigger : price <= trigger,
        OrderType.TAKE_PROFIT or OrderType.TAKE_PROFIT_MARKET => side == OrderSide.BUY ? price <= trigger : price >= trigger,
        _ => false,
    };

    private void TriggerAlgoOrders(long second, long ms)
    {
        foreach (var algo in _state.AlgoOrders)
        {
            if (algo.AlgoStatus == AlgoStatus.TRIGGERED)
            {
                var child = _byId.GetValueOrDefault(algo.ActualOrderId);
                if (child is null || !child.Status.IsOpen())
                {
                    algo.AlgoStatus = AlgoStatus.FINISHED;
                    algo.UpdateTime = ms;
                }

                continue;
            }

            if (algo.AlgoStatus != AlgoStatus.NEW)
            {
                continue;
            }

            var spec = Spec(algo.Symbol);
            var price = algo.WorkingType == WorkingType.MARK_PRICE ? Mark(spec, second) : _market.Prices.LastPrice(spec, second);
            if (!ShouldFire(algo, price))
            {
                continue;
            }

            Fire(algo, spec, ms);
        }
    }

    private static bool ShouldFire(AlgoOrder algo, decimal price)
    {
        if (algo.OrderType != OrderType.TRAILING_STOP_MARKET)
        {
            return Triggered(algo.OrderType, algo.Side, algo.TriggerPrice, price);
        }

        if (!algo.Activated)
        {
            algo.Activated = algo.Side == OrderSide.SELL ? price >= algo.ActivatePrice : price <= algo.ActivatePrice;
            algo.Extreme = price;
            return false;
        }

        // SELL trails a long from the highest price since activation; BUY trails a short from the lowest.
        algo.Extreme = algo.Side == OrderSide.SELL ? Math.Max(algo.Extreme, price) : Math.Min(algo.Extreme, price);
        var rate = algo.CallbackRate / 100;
        return algo.Side == OrderSide.SELL ? price <= algo.Extreme * (1 - rate) : price >= algo.Extreme * (1 + rate);
    }

    private void Fire(AlgoOrder algo, SymbolSpec spec, long ms)
    {
        algo.TriggerTime = ms;
        algo.UpdateTime = ms;
        var key = PositionKey(_state.DualSidePosition, algo.PositionSide);
        var quantity = algo.Quantity;
        if (algo.ClosePosition || algo.ReduceOnly)
        {
            var position = FindPosition(algo.Symbol, key);
            var size = position is not null && position.Direction == -algo.Side.Sign() ? position.Size : 0;
            quantity = algo.ClosePosition ? size : Math.Min(quantity, size);
            if (quantity == 0)
            {
                algo.AlgoStatus = AlgoStatus.EXPIRED;
                return;
            }
        }

        var isMarket = algo.OrderType is OrderType.STOP_MARKET or OrderType.TAKE_PROFIT_MARKET or OrderType.TRAILING_STOP_MARKET;
        var child = NewOrder(algo.Symbol, algo.Side, algo.PositionSide, isMarket ? OrderType.MARKET : OrderType.LIMIT,
            isMarket ? TimeInForce.GTC : algo.TimeInForce, isMarket ? 0 : algo.Price, quantity, ms, algo.ClientAlgoId);
        child.OrigType = algo.OrderType;
        child.StopPrice = algo.TriggerPrice;
        child.WorkingType = algo.WorkingType;
        child.ReduceOnly = algo.ReduceOnly;
        child.ClosePosition = algo.ClosePosition;
        algo.ActualOrderId = child.OrderId;
        algo.AlgoStatus = AlgoStatus.TRIGGERED;

        var second = ms / 1000;
        var (bid, ask) = _market.Top(spec, second);
        if (!algo.ReduceOnly && AvailableBalance(second) < quantity * (algo.Side == OrderSide.BUY ? ask : bid) / Settings(algo.Symbol).Leverage)
        {
            // Algo orders get no margin check until they trigger (Binance USDⓈ-M Futures "New Order (TRADE)").
            child.Status = OrderStatus.REJECTED;
            algo.AlgoStatus = AlgoStatus.REJECTED;
            return;
        }

        var crosses = isMarket || (algo.Side == OrderSide.BUY ? algo.Price >= ask : algo.Price <= bid);
        if (crosses)
        {
            ApplyFill(child, quantity, algo.Side == OrderSide.BUY ? ask : bid, maker: false, ms);
            algo.AlgoStatus = AlgoStatus.FINISHED;
        }
    }
}
