using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Regular orders: the exchange's acceptance rules, immediate matching at the top of the book, resting fills, countdowns.</summary>
internal sealed class OrderDesk(VenueBooks books, MarginCalculator margin, Settlement settlement)
{
    private OrderBook Orders => books.Orders;

    private PositionBook Positions => books.Positions;

    public PaperOrder Place(OrderRequest request, long ms, bool testOnly = false)
    {
        var spec = VenueBooks.Spec(request.Symbol);
        if (request.Type.IsConditional())
        {
            throw new ExchangeException(-4120, "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
        }

        var positionSide = Positions.ResolveSide(request.PositionSide, request.ReduceOnlySent);
        var second = ms / 1000;
        var (bid, ask) = books.Market.Top(spec, second);
        var mark = books.Mark(spec, second);
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

        var reducing = Positions.IsReducing(request.Side, positionSide, request.Symbol);
        var reduceOnly = request.ReduceOnly || (Positions.DualSidePosition && reducing);
        if (request.ReduceOnly && !reducing)
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        if (Positions.DualSidePosition && reducing && Positions.SizeOf(request.Symbol, positionSide) == 0)
        {
            throw new ExchangeException(-2022, "ReduceOnly Order is rejected.");
        }

        Filters.MinNotional(spec, quantity, request.Type == OrderType.MARKET ? mark : price, reduceOnly);
        var clientId = request.ClientOrderId ?? OrderBook.NewClientId(ms);
        if (Orders.IsOpenClientId(request.Symbol, clientId))
        {
            throw new ExchangeException(-4116, "ClientOrderId is duplicated.");
        }

        if (books.OpenOrderCount(request.Symbol) >= SymbolSpec.MaxNumOrders)
        {
            throw new ExchangeException(-2025, "Reach max open order limit.");
        }

        if (!reduceOnly)
        {
            margin.CheckOpening(spec, request.Symbol, request.Side, positionSide, quantity, request.Type == OrderType.MARKET ? ask : price, second);
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

        var order = Orders.Create(request.Symbol, request.Side, positionSide, request.Type, tif, request.Type == OrderType.LIMIT ? price : 0, quantity, ms, clientId);
        order.ReduceOnly = reduceOnly;
        order.GoodTillDate = tif == TimeInForce.GTD ? request.GoodTillDate ?? 0 : 0;
        if (testOnly)
        {
            Orders.Discard(order);
            return order;
        }

        if (crosses)
        {
            var fillQty = reduceOnly ? Math.Min(quantity, Positions.SizeOf(request.Symbol, positionSide)) : quantity;
            if (fillQty > 0)
            {
                settlement.Fill(order, fillQty, request.Side == OrderSide.BUY ? ask : bid, maker: false, ms);
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

    public PaperOrder Modify(string symbol, long? orderId, string? clientId, OrderSide side, decimal quantity, decimal price, long ms)
    {
        var spec = VenueBooks.Spec(symbol);
        var order = Orders.Find(symbol, orderId, clientId) ?? throw new ExchangeException(-2013, "Order does not exist.");
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
        Filters.PercentPrice(spec, side, price, books.Mark(spec, ms / 1000));
        if (quantity <= order.ExecutedQty)
        {
            throw new ExchangeException(-4003, "Quantity less than or equal to zero.");
        }

        var (bid, ask) = books.Market.Top(spec, ms / 1000);
        order.Price = price;
        order.OrigQty = quantity;
        order.UpdateTime = ms;
        if (side == OrderSide.BUY ? price >= ask : price <= bid)
        {
            settlement.Fill(order, order.RemainingQty, side == OrderSide.BUY ? ask : bid, maker: false, ms);
        }

        return order;
    }

    public PaperOrder Cancel(string symbol, long? orderId, string? clientId, long ms)
    {
        VenueBooks.Spec(symbol);
        RequireId(orderId, clientId);
        var order = Orders.Find(symbol, orderId, clientId);
        if (order is null || !order.Status.IsOpen())
        {
            throw new ExchangeException(-2011, "Unknown order sent.");
        }

        order.Status = OrderStatus.CANCELED;
        order.UpdateTime = ms;
        return order;
    }

    public PaperOrder Query(string symbol, long? orderId, string? clientId)
    {
        VenueBooks.Spec(symbol);
        RequireId(orderId, clientId);
        return Orders.Find(symbol, orderId, clientId) ?? throw new ExchangeException(-2013, "Order does not exist.");
    }

    public void CancelAllOpen(string symbol, long ms)
    {
        VenueBooks.Spec(symbol);
        Orders.CancelAllOpen(symbol, ms);
    }

    public IReadOnlyList<PaperOrder> Open(string? symbol)
    {
        if (symbol is not null)
        {
            VenueBooks.Spec(symbol);
        }

        return Orders.OpenOrders(symbol);
    }

    public IReadOnlyList<PaperOrder> All(string symbol, long? fromOrderId, long? startTime, long? endTime, int limit)
    {
        VenueBooks.Spec(symbol);
        return Orders.History(symbol, fromOrderId, startTime, endTime, limit);
    }

    public long SetCountdown(string symbol, long countdownMs, long ms)
    {
        VenueBooks.Spec(symbol);
        Orders.SetCountdown(symbol, countdownMs, ms);
        return countdownMs;
    }

    /// <summary>Countdowns that ran out cancel every open order on their symbol.</summary>
    public void RunCountdowns(long ms)
    {
        foreach (var symbol in Orders.TakeExpiredCountdowns(ms))
        {
            Orders.CancelAllOpen(symbol, ms);
        }
    }

    /// <summary>Resting LIMIT orders the price has reached fill as makers at their price; expired GTD orders go.</summary>
    public void FillResting(long second, long ms)
    {
        foreach (var order in Orders.Open)
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

            var (bid, ask) = books.Market.Top(VenueBooks.Spec(order.Symbol), second);
            if (order.Side == OrderSide.BUY ? ask > order.Price : bid < order.Price)
            {
                continue;
            }

            var qty = order.ReduceOnly ? Math.Min(order.RemainingQty, Positions.ReducibleBy(order.Symbol, order.PositionSide, order.Side)) : order.RemainingQty;
            if (qty > 0)
            {
                settlement.Fill(order, qty, order.Price, maker: true, ms);
            }

            if (order.Status.IsOpen() && order.ReduceOnly)
            {
                order.Status = OrderStatus.EXPIRED;
                order.UpdateTime = ms;
            }
        }
    }

    private static void RequireId(long? orderId, string? clientId)
    {
        if (orderId is null && clientId is null)
        {
            throw new ExchangeException(-1102, "Either orderId or origClientOrderId must be sent.");
        }
    }
}
