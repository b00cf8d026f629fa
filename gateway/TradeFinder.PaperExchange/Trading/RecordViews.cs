using System.Text.Json.Nodes;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Order, algo order, trade and income bodies in the exchange's shapes.</summary>
internal static class RecordViews
{
    public static JsonObject OrderView(PaperOrder o, bool includeTime = false)
    {
        var spec = SymbolSpec.Find(o.Symbol)!;
        var body = new JsonObject
        {
            ["orderId"] = o.OrderId,
            ["symbol"] = o.Symbol,
            ["status"] = o.Status.ToString(),
            ["clientOrderId"] = o.ClientOrderId,
            ["price"] = Wire.Price(spec, o.Price),
            ["avgPrice"] = Wire.Price(spec, o.AvgPrice),
            ["origQty"] = Wire.Qty(spec, o.OrigQty),
            ["executedQty"] = Wire.Qty(spec, o.ExecutedQty),
            ["cumQty"] = Wire.Qty(spec, o.ExecutedQty),
            ["cumQuote"] = Wire.Money(o.CumQuote),
            ["timeInForce"] = o.TimeInForce.ToString(),
            ["type"] = o.Type.ToString(),
            ["reduceOnly"] = o.ReduceOnly,
            ["closePosition"] = o.ClosePosition,
            ["side"] = o.Side.ToString(),
            ["positionSide"] = o.PositionSide.ToString(),
            ["stopPrice"] = Wire.Price(spec, o.StopPrice),
            ["workingType"] = o.WorkingType.ToString(),
            ["priceProtect"] = o.PriceProtect,
            ["origType"] = o.OrigType.ToString(),
            ["priceMatch"] = "NONE",
            ["selfTradePreventionMode"] = "EXPIRE_MAKER",
            ["goodTillDate"] = o.GoodTillDate,
            ["updateTime"] = o.UpdateTime,
        };
        if (includeTime)
        {
            body["time"] = o.Time;
        }

        return body;
    }

    /// <summary>ACK answers the order as accepted; RESULT as it ended up (Binance USDⓈ-M Futures "New Order (TRADE)", newOrderRespType).</summary>
    public static JsonObject OrderAck(PaperOrder o, long ms)
    {
        var spec = SymbolSpec.Find(o.Symbol)!;
        var view = OrderView(o);
        view["status"] = OrderStatus.NEW.ToString();
        view["executedQty"] = Wire.Qty(spec, 0);
        view["cumQty"] = Wire.Qty(spec, 0);
        view["cumQuote"] = Wire.Money(0);
        view["avgPrice"] = Wire.Price(spec, 0);
        view["updateTime"] = ms;
        return view;
    }

    public static JsonObject AlgoView(AlgoOrder a)
    {
        var spec = SymbolSpec.Find(a.Symbol)!;
        return new JsonObject
        {
            ["algoId"] = a.AlgoId,
            ["clientAlgoId"] = a.ClientAlgoId,
            ["algoType"] = "CONDITIONAL",
            ["orderType"] = a.OrderType.ToString(),
            ["symbol"] = a.Symbol,
            ["side"] = a.Side.ToString(),
            ["positionSide"] = a.PositionSide.ToString(),
            ["timeInForce"] = a.TimeInForce.ToString(),
            ["quantity"] = Wire.Qty(spec, a.Quantity),
            ["algoStatus"] = a.AlgoStatus.ToString(),
            ["triggerPrice"] = Wire.Price(spec, a.TriggerPrice),
            ["price"] = Wire.Price(spec, a.Price),
            ["icebergQuantity"] = (string?)null,
            ["selfTradePreventionMode"] = "EXPIRE_MAKER",
            ["workingType"] = a.WorkingType.ToString(),
            ["priceMatch"] = "NONE",
            ["closePosition"] = a.ClosePosition,
            ["priceProtect"] = a.PriceProtect,
            ["reduceOnly"] = a.ReduceOnly,
            ["activatePrice"] = Wire.Price(spec, a.ActivatePrice),
            ["callbackRate"] = Wire.Plain(a.CallbackRate),
            ["createTime"] = a.CreateTime,
            ["updateTime"] = a.UpdateTime,
            ["triggerTime"] = a.TriggerTime,
            ["goodTillDate"] = 0,
            ["actualOrderId"] = a.ActualOrderId == 0 ? "" : a.ActualOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static JsonObject TradeView(TradeRecord t)
    {
        var spec = SymbolSpec.Find(t.Symbol)!;
        return new JsonObject
        {
            ["buyer"] = t.Side == OrderSide.BUY,
            ["commission"] = Wire.Money(t.Commission),
            ["commissionAsset"] = "USDT",
            ["id"] = t.Id,
            ["maker"] = t.Maker,
            ["orderId"] = t.OrderId,
            ["price"] = Wire.Price(spec, t.Price),
            ["qty"] = Wire.Qty(spec, t.Qty),
            ["quoteQty"] = Wire.Money(t.Price * t.Qty),
            ["realizedPnl"] = Wire.Money(t.RealizedPnl),
            ["side"] = t.Side.ToString(),
            ["positionSide"] = t.PositionSide.ToString(),
            ["symbol"] = t.Symbol,
            ["time"] = t.Time,
        };
    }

    public static JsonObject IncomeView(IncomeRecord i) => new JsonObject
    {
        ["symbol"] = i.Symbol,
        ["incomeType"] = i.IncomeType,
        ["income"] = Wire.Money(i.Income),
        ["asset"] = "USDT",
        ["info"] = i.Info,
        ["time"] = i.Time,
        ["tranId"] = i.TranId,
        ["tradeId"] = i.TradeId,
    };
}
