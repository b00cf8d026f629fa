using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Account, balance and position bodies in the exchange's shapes (Binance USDⓈ-M Futures API response examples).</summary>
internal sealed partial class PaperVenue
{
    private sealed record PositionView(Position? Position, SymbolSpec Spec, PositionSide Side, decimal Mark, decimal Unrealized,
        decimal InitialMargin, decimal Maintenance, decimal Liquidation, int Leverage, bool Isolated);

    private IEnumerable<PositionView> PositionViews(long second, bool activeOnly)
    {
        foreach (var spec in SymbolSpec.Listed)
        {
            var settings = Settings(spec.Symbol);
            PositionSide[] sides = _state.DualSidePosition ? [PositionSide.LONG, PositionSide.SHORT] : [PositionSide.BOTH];
            foreach (var side in sides)
            {
                var position = FindPosition(spec.Symbol, side);
                if (activeOnly && position is null && !_open.Exists(o => o.Symbol == spec.Symbol && o.Status.IsOpen()))
                {
                    continue;
                }

                var mark = Mark(spec, second);
                var size = position?.Size ?? 0;
                yield return new PositionView(position, spec, side, mark, position?.UnrealizedPnl(mark) ?? 0,
                    size * mark / settings.Leverage, MarginMath.MaintenanceMargin(spec.Brackets, size, mark),
                    position is null ? 0 : LiquidationPriceOf(position, second), settings.Leverage, settings.MarginType == MarginType.ISOLATED);
            }
        }
    }

    private (decimal Wallet, decimal Unrealized, decimal PositionMargin, decimal OrderMargin, decimal Maintenance, decimal Available, decimal CrossWallet, decimal CrossUnrealized) Totals(long second)
    {
        var views = PositionViews(second, activeOnly: true).ToArray();
        var crossUnrealized = views.Where(v => !v.Isolated).Sum(v => v.Unrealized);
        return (_state.WalletBalance, views.Sum(v => v.Unrealized), views.Sum(v => v.InitialMargin), OpenOrderMargin(),
            views.Sum(v => v.Maintenance), Math.Max(0, AvailableBalance(second)), CrossWallet(), crossUnrealized);
    }

    public object AccountView(long ms, bool v3)
    {
        var second = ms / 1000;
        var t = Totals(second);
        var margin = t.Wallet + t.Unrealized;
        var asset = new Dictionary<string, object>
        {
            ["asset"] = "USDT",
            ["walletBalance"] = Wire.Money(t.Wallet),
            ["unrealizedProfit"] = Wire.Money(t.Unrealized),
            ["marginBalance"] = Wire.Money(margin),
            ["maintMargin"] = Wire.Money(t.Maintenance),
            ["initialMargin"] = Wire.Money(t.PositionMargin + t.OrderMargin),
            ["positionInitialMargin"] = Wire.Money(t.PositionMargin),
            ["openOrderInitialMargin"] = Wire.Money(t.OrderMargin),
            ["crossWalletBalance"] = Wire.Money(t.CrossWallet),
            ["crossUnPnl"] = Wire.Money(t.CrossUnrealized),
            ["availableBalance"] = Wire.Money(t.Available),
            ["maxWithdrawAmount"] = Wire.Money(t.Available),
            ["updateTime"] = ms,
        };
        if (!v3)
        {
            asset["marginAvailable"] = true;
        }

        var positions = PositionViews(second, activeOnly: v3).Select(v => v3
            ? (object)new
            {
                symbol = v.Spec.Symbol,
                positionSide = v.Side.ToString(),
                positionAmt = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                unrealizedProfit = Wire.Money(v.Unrealized),
                isolatedMargin = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                notional = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                isolatedWallet = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                initialMargin = Wire.Money(v.InitialMargin),
                maintMargin = Wire.Money(v.Maintenance),
                updateTime = v.Position?.UpdateTime ?? 0,
            }
            : new
            {
                symbol = v.Spec.Symbol,
                initialMargin = Wire.Money(v.InitialMargin),
                maintMargin = Wire.Money(v.Maintenance),
                unrealizedProfit = Wire.Money(v.Unrealized),
                positionInitialMargin = Wire.Money(v.InitialMargin),
                openOrderInitialMargin = "0",
                leverage = v.Leverage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                isolated = v.Isolated,
                entryPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                breakEvenPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                maxNotional = Wire.Plain(MarginMath.MaxNotional(v.Spec.Brackets, v.Leverage)),
                positionSide = v.Side.ToString(),
                positionAmt = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                notional = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                isolatedWallet = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                updateTime = v.Position?.UpdateTime ?? 0,
                bidNotional = "0",
                askNotional = "0",
            }).ToArray();

        var body = new Dictionary<string, object>
        {
            ["totalInitialMargin"] = Wire.Money(t.PositionMargin + t.OrderMargin),
            ["totalMaintMargin"] = Wire.Money(t.Maintenance),
            ["totalWalletBalance"] = Wire.Money(t.Wallet),
            ["totalUnrealizedProfit"] = Wire.Money(t.Unrealized),
            ["totalMarginBalance"] = Wire.Money(margin),
            ["totalPositionInitialMargin"] = Wire.Money(t.PositionMargin),
            ["totalOpenOrderInitialMargin"] = Wire.Money(t.OrderMargin),
            ["totalCrossWalletBalance"] = Wire.Money(t.CrossWallet),
            ["totalCrossUnPnl"] = Wire.Money(t.CrossUnrealized),
            ["availableBalance"] = Wire.Money(t.Available),
            ["maxWithdrawAmount"] = Wire.Money(t.Available),
            ["assets"] = new object[] { asset },
            ["positions"] = positions,
        };
        if (!v3)
        {
            body["feeTier"] = 0;
            body["feeBurn"] = true;
            body["canTrade"] = true;
            body["canDeposit"] = true;
            body["canWithdraw"] = true;
            body["updateTime"] = 0;
            body["multiAssetsMargin"] = false;
            body["tradeGroupId"] = -1;
        }

        return body;
    }

    public object[] BalanceView(long ms)
    {
        var t = Totals(ms / 1000);
        return
        [
            new
            {
                accountAlias = "SgsR",
                asset = "USDT",
                balance = Wire.Money(t.Wallet),
                crossWalletBalance = Wire.Money(t.CrossWallet),
                crossUnPnl = Wire.Money(t.CrossUnrealized),
                availableBalance = Wire.Money(t.Available),
                maxWithdrawAmount = Wire.Money(t.Available),
                marginAvailable = true,
                updateTime = ms,
            },
        ];
    }

    public object[] PositionRiskView(long ms, bool v3, string? symbol)
    {
        return [.. PositionViews(ms / 1000, activeOnly: v3).Where(v => symbol is null || v.Spec.Symbol == symbol).Select(v => v3
            ? (object)new
            {
                symbol = v.Spec.Symbol,
                positionSide = v.Side.ToString(),
                positionAmt = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                entryPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                breakEvenPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                markPrice = Wire.Price(v.Spec, v.Mark),
                unRealizedProfit = Wire.Money(v.Unrealized),
                liquidationPrice = Wire.Price(v.Spec, v.Liquidation),
                isolatedMargin = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                notional = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                marginAsset = "USDT",
                isolatedWallet = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                initialMargin = Wire.Money(v.InitialMargin),
                maintMargin = Wire.Money(v.Maintenance),
                positionInitialMargin = Wire.Money(v.InitialMargin),
                openOrderInitialMargin = "0",
                adl = 0,
                bidNotional = "0",
                askNotional = "0",
                updateTime = v.Position?.UpdateTime ?? 0,
            }
            : new
            {
                symbol = v.Spec.Symbol,
                positionAmt = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                entryPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                breakEvenPrice = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                markPrice = Wire.Price(v.Spec, v.Mark),
                unRealizedProfit = Wire.Money(v.Unrealized),
                liquidationPrice = Wire.Price(v.Spec, v.Liquidation),
                leverage = v.Leverage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                maxNotionalValue = Wire.Plain(MarginMath.MaxNotional(v.Spec.Brackets, v.Leverage)),
                marginType = v.Isolated ? "isolated" : "cross",
                isolatedMargin = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                isAutoAddMargin = "false",
                positionSide = v.Side.ToString(),
                notional = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                isolatedWallet = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                updateTime = v.Position?.UpdateTime ?? 0,
            })];
    }

    public static object OrderView(PaperOrder o, bool includeTime = false)
    {
        var spec = SymbolSpec.Find(o.Symbol)!;
        var body = new Dictionary<string, object>
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
    public static object OrderAck(PaperOrder o, long ms)
    {
        var spec = SymbolSpec.Find(o.Symbol)!;
        var view = (Dictionary<string, object>)OrderView(o);
        view["status"] = OrderStatus.NEW.ToString();
        view["executedQty"] = Wire.Qty(spec, 0);
        view["cumQty"] = Wire.Qty(spec, 0);
        view["cumQuote"] = Wire.Money(0);
        view["avgPrice"] = Wire.Price(spec, 0);
        view["updateTime"] = ms;
        return view;
    }

    public static object AlgoView(AlgoOrder a)
    {
        var spec = SymbolSpec.Find(a.Symbol)!;
        return new
        {
            algoId = a.AlgoId,
            clientAlgoId = a.ClientAlgoId,
            algoType = "CONDITIONAL",
            orderType = a.OrderType.ToString(),
            symbol = a.Symbol,
            side = a.Side.ToString(),
            positionSide = a.PositionSide.ToString(),
            timeInForce = a.TimeInForce.ToString(),
            quantity = Wire.Qty(spec, a.Quantity),
            algoStatus = a.AlgoStatus.ToString(),
            triggerPrice = Wire.Price(spec, a.TriggerPrice),
            price = Wire.Price(spec, a.Price),
            icebergQuantity = (string?)null,
            selfTradePreventionMode = "EXPIRE_MAKER",
            workingType = a.WorkingType.ToString(),
            priceMatch = "NONE",
            closePosition = a.ClosePosition,
            priceProtect = a.PriceProtect,
            reduceOnly = a.ReduceOnly,
            activatePrice = Wire.Price(spec, a.ActivatePrice),
            callbackRate = Wire.Plain(a.CallbackRate),
            createTime = a.CreateTime,
            updateTime = a.UpdateTime,
            triggerTime = a.TriggerTime,
            goodTillDate = 0,
            actualOrderId = a.ActualOrderId == 0 ? "" : a.ActualOrderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static object TradeView(TradeRecord t)
    {
        var spec = SymbolSpec.Find(t.Symbol)!;
        return new
        {
            buyer = t.Side == OrderSide.BUY,
            commission = Wire.Money(t.Commission),
            commissionAsset = "USDT",
            id = t.Id,
            maker = t.Maker,
            orderId = t.OrderId,
            price = Wire.Price(spec, t.Price),
            qty = Wire.Qty(spec, t.Qty),
            quoteQty = Wire.Money(t.Price * t.Qty),
            realizedPnl = Wire.Money(t.RealizedPnl),
            side = t.Side.ToString(),
            positionSide = t.PositionSide.ToString(),
            symbol = t.Symbol,
            time = t.Time,
        };
    }

    public static object IncomeView(IncomeRecord i) => new
    {
        symbol = i.Symbol,
        incomeType = i.IncomeType,
        income = Wire.Money(i.Income),
        asset = "USDT",
        info = i.Info,
        time = i.Time,
        tranId = i.TranId,
        tradeId = i.TradeId,
    };
}
