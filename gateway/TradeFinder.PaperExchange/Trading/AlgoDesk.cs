using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// Conditional orders on the algo service (Binance USDⓈ-M Futures "New Algo Order"): acceptance, triggers on
/// the mark or contract price, trailing stops, and the child order a trigger places.
/// </summary>
internal sealed class AlgoDesk(VenueBooks books, MarginCalculator margin, Settlement settlement)
{
    private PositionBook Positions => books.Positions;

    public AlgoOrder Place(AlgoRequest request, long ms)
    {
        var spec = VenueBooks.Spec(request.Symbol);
        var positionSide = Positions.ResolveSide(request.PositionSide, request.ReduceOnlySent);
        var second = ms / 1000;
        var isMarketType = IsMarketType(request.Type);
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

        var current = PriceFor(request.WorkingType, spec, second);
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

        if (request.ReduceOnly && !Positions.IsReducing(request.Side, positionSide, request.Symbol) && !Positions.DualSidePosition)
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        if (books.OpenOrderCount(request.Symbol) >= SymbolSpec.MaxNumOrders || books.Algos.OpenCount(null) >= AlgoBook.MaxOpenAlgoOrders)
        {
            throw new ExchangeException(-2025, "Reach max open order limit.");
        }

        var clientId = request.ClientAlgoId ?? OrderBook.NewClientId(ms);
        if (books.Algos.IsOpenClientId(clientId))
        {
            throw new ExchangeException(-4116, "ClientOrderId is duplicated.");
        }

        return books.Algos.Add(new AlgoOrder
        {
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
       });
    }

    public AlgoOrder Cancel(long? algoId, string? clientAlgoId, long ms)
    {
        var algo = books.Algos.Find(algoId, clientAlgoId);
        if (algo is null || algo.AlgoStatus != AlgoStatus.NEW)
        {
            throw new ExchangeException(-2011, "Unknown order sent.");
        }

        algo.AlgoStatus = AlgoStatus.CANCELED;
        algo.UpdateTime = ms;
        return algo;
    }

    public AlgoOrder Query(long? algoId, string? clientAlgoId) =>
        books.Algos.Find(algoId, clientAlgoId) ?? throw new ExchangeException(-2013, "Order does not exist.");

    public IReadOnlyList<AlgoOrder> All(string symbol, long? startTime, long? endTime, int limit)
    {
        VenueBooks.Spec(symbol);
        return books.Algos.History(symbol, startTime, endTime, limit);
    }

    public void CancelAll(string symbol, long ms)
    {
        VenueBooks.Spec(symbol);
        books.Algos.CancelAll(symbol, ms);
    }

    /// <summary>Fires conditional orders whose trigger the price has reached, and finishes those whose child order ended.</summary>
    public void Trigger(long second, long ms)
    {
        foreach (var algo in books.Algos.All)
        {
            if (algo.AlgoStatus == AlgoStatus.TRIGGERED)
            {
                var child = books.Orders.ById(algo.ActualOrderId);
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

            var spec = VenueBooks.Spec(algo.Symbol);
            if (ShouldFire(algo, PriceFor(algo.WorkingType, spec, second)))
            {
                Fire(algo, spec, ms);
            }
        }
    }

    private decimal PriceFor(WorkingType workingType, SymbolSpec spec, long second) =>
        workingType == WorkingType.MARK_PRICE ? books.Mark(spec, second) : books.Market.Prices.LastPrice(spec, second);

    private static bool IsMarketType(OrderType type) => type is OrderType.STOP_MARKET or OrderType.TAKE_PROFIT_MARKET or OrderType.TRAILING_STOP_MARKET;

    /// <summary>STOP* fires when the price moves through the trigger against the side; TAKE_PROFIT* the reverse.</summary>
    private static bool Triggered(OrderType type, OrderSide side, decimal trigger, decimal price) => type switch
    {
        OrderType.STOP or OrderType.STOP_MARKET => side == OrderSide.BUY ? price >= trigger : price <= trigger,
        OrderType.TAKE_PROFIT or OrderType.TAKE_PROFIT_MARKET => side == OrderSide.BUY ? price <= trigger : price >= trigger,
        _ => false,
    };

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
        var quantity = algo.Quantity;
        if (algo.ClosePosition || algo.ReduceOnly)
        {
            var size = Positions.ReducibleBy(algo.Symbol, algo.PositionSide, algo.Side);
            quantity = algo.ClosePosition ? size : Math.Min(quantity, size);
            if (quantity == 0)
            {
                algo.AlgoStatus = AlgoStatus.EXPIRED;
                return;
            }
        }

        var isMarket = IsMarketType(algo.OrderType);
        var child = books.Orders.Create(algo.Symbol, algo.Side, algo.PositionSide, isMarket ? OrderType.MARKET : OrderType.LIMIT,
            isMarket ? TimeInForce.GTC : algo.TimeInForce, isMarket ? 0 : algo.Price, quantity, ms, algo.ClientAlgoId);
        child.OrigType = algo.OrderType;
        child.StopPrice = algo.TriggerPrice;
        child.WorkingType = algo.WorkingType;
        child.ReduceOnly = algo.ReduceOnly;
        child.ClosePosition = algo.ClosePosition;
        algo.ActualOrderId = child.OrderId;
        algo.AlgoStatus = AlgoStatus.TRIGGERED;

        var second = ms / 1000;
        var (bid, ask) = books.Market.Top(spec, second);
        if (!algo.ReduceOnly && margin.AvailableBalance(second) < quantity * (algo.Side == OrderSide.BUY ? ask : bid) / Positions.LeverageOf(algo.Symbol))
        {
            // Algo orders get no margin check until they trigger (Binance USDⓈ-M Futures "New Order (TRADE)").
            child.Status = OrderStatus.REJECTED;
            algo.AlgoStatus = AlgoStatus.REJECTED;
            return;
        }

        var crosses = isMarket || (algo.Side == OrderSide.BUY ? algo.Price >= ask : algo.Price <= bid);
        if (crosses)
        {
            settlement.Fill(child, quantity, algo.Side == OrderSide.BUY ? ask : bid, maker: false, ms);
            algo.AlgoStatus = AlgoStatus.FINISHED;
        }
    }
}
