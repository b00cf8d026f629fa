using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The account's user-data stream (Binance USDⓈ-M Futures "User Data Streams"): after every change the venue
/// compares its orders and trades with what it last published and sends <c>ORDER_TRADE_UPDATE</c> (NEW, TRADE,
/// CANCELED, EXPIRED, AMENDMENT) and, after fills, <c>ACCOUNT_UPDATE</c> to the connections of every active listen
/// key; a key that expires gets <c>listenKeyExpired</c> and its connections end. Runs under the venue's lock.
/// </summary>
internal sealed class UserDataFeed
{
    private readonly Dictionary<long, (OrderStatus Status, decimal Executed, decimal OrigQty, decimal Price)> _seen = [];
    private readonly List<(string ListenKey, Channel<string> Events)> _subscribers = [];
    private long _lastTradeId = -1;

    public ChannelReader<string>? Subscribe(string listenKey, Func<string, bool> isActive)
    {
        if (!isActive(listenKey))
        {
            return null;
        }

        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers.Add((listenKey, channel));
        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<string> reader) => _subscribers.RemoveAll(s => s.Events.Reader == reader);

    /// <summary>Ends every connection while the keys stay active: a network drop, whose events are lost to the client.</summary>
    public void DropConnections()
    {
        foreach (var (_, events) in _subscribers)
        {
            events.Writer.TryComplete(new IOException("connection dropped"));
        }

        _subscribers.Clear();
    }

    /// <summary>Publishes what changed since the last call; <paramref name="positionsOf"/> gives the symbol's position views.</summary>
    public void Collect(VenueBooks books, long ms, Func<string, JsonNode[]> positionsOf)
    {
        if (_lastTradeId < 0)
        {
            _lastTradeId = books.Account.LastTradeId;
        }

        var events = new List<string>();
        var trades = books.Account.TradesAfter(_lastTradeId);
        foreach (var order in books.Orders.Open)
        {
            var known = _seen.TryGetValue(order.OrderId, out var before);
            if (!known)
            {
                events.Add(OrderEvent(order, "NEW", OrderStatus.NEW, 0, null, ms));
                before = (OrderStatus.NEW, 0, order.OrigQty, order.Price);
            }
            else if (order.OrigQty != before.OrigQty || order.Price != before.Price)
            {
                events.Add(OrderEvent(order, "AMENDMENT", order.ExecutedQty == 0 ? OrderStatus.NEW : OrderStatus.PARTIALLY_FILLED, before.Executed, null, ms));
            }

            var cumulative = before.Executed;
            foreach (var trade in trades.Where(t => t.OrderId == order.OrderId))
            {
                cumulative += trade.Qty;
                var status = cumulative >= order.OrigQty ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
                events.Add(OrderEvent(order, "TRADE", status, cumulative, trade, ms));
            }

            if (order.Status is OrderStatus.CANCELED or OrderStatus.EXPIRED && order.Status != before.Status)
            {
                events.Add(OrderEvent(order, order.Status == OrderStatus.CANCELED ? "CANCELED" : "EXPIRED", order.Status, order.ExecutedQty, null, ms));
            }

            if (order.Status.IsOpen())
            {
                _seen[order.OrderId] = (order.Status, order.ExecutedQty, order.OrigQty, order.Price);
            }
            else
            {
                _seen.Remove(order.OrderId);
            }
        }

        if (trades.Count > 0)
        {
            _lastTradeId = trades[^1].Id;
            events.Add(AccountEvent(books, [.. trades.Select(t => t.Symbol).Distinct()], ms, positionsOf));
        }

        Publish(events, books, ms);
    }

    /// <summary>
    /// A balance movement that is not trading (a withdrawal, deposit or transfer): the wallet changes by
    /// <paramref name="amount"/> and the account gets an <c>ACCOUNT_UPDATE</c> with the movement's reason.
    /// </summary>
    public void Transfer(VenueBooks books, decimal amount, string reason, long ms)
    {
        books.Account.WalletBalance += amount;
        var wallet = books.Account.WalletBalance.ToString("0.00000000", CultureInfo.InvariantCulture);
        Publish([(new JsonObject
        {
            ["e"] = "ACCOUNT_UPDATE",
            ["E"] = ms,
            ["T"] = ms,
            ["a"] = new JsonObject { ["m"] = reason, ["B"] = new JsonArray(new JsonObject { ["a"] = "USDT", ["wb"] = wallet, ["cw"] = wallet, ["bc"] = amount.ToString("0.00000000", CultureInfo.InvariantCulture) }), ["P"] = new JsonArray() },
        }).ToJsonString()], books, ms);
    }

    private void Publish(List<string> events, VenueBooks books, long ms)
    {
        foreach (var (key, channel) in _subscribers.ToList())
        {
            if (!books.Account.IsListenKeyActive(key, ms))
            {
                channel.Writer.TryWrite((new JsonObject { ["e"] = "listenKeyExpired", ["E"] = ms, ["listenKey"] = key }).ToJsonString());
                channel.Writer.TryComplete();
                _subscribers.RemoveAll(s => s.Events == channel);
                continue;
            }

            foreach (var e in events)
            {
                channel.Writer.TryWrite(e);
            }
        }
    }

    private static string OrderEvent(PaperOrder o, string execution, OrderStatus status, decimal cumulative, TradeRecord? trade, long ms)
    {
        var spec = SymbolSpec.Find(o.Symbol)!;
        return (new JsonObject
        {
            ["e"] = "ORDER_TRADE_UPDATE",
            ["E"] = ms,
            ["T"] = trade?.Time ?? ms,
            ["o"] = new JsonObject
            {
                ["s"] = o.Symbol, ["c"] = o.ClientOrderId, ["S"] = o.Side.ToString(), ["o"] = o.Type.ToString(), ["f"] = o.TimeInForce.ToString(),
                ["q"] = Wire.Qty(spec, o.OrigQty), ["p"] = Wire.Price(spec, o.Price), ["ap"] = Wire.Price(spec, o.AvgPrice), ["sp"] = Wire.Price(spec, o.StopPrice),
                ["x"] = execution, ["X"] = status.ToString(), ["i"] = o.OrderId,
                ["l"] = Wire.Qty(spec, trade?.Qty ?? 0), ["z"] = Wire.Qty(spec, cumulative), ["L"] = Wire.Price(spec, trade?.Price ?? 0),
                ["N"] = "USDT", ["n"] = Wire.Money(trade?.Commission ?? 0), ["T"] = trade?.Time ?? ms, ["t"] = trade?.Id ?? 0,
                ["b"] = "0", ["a"] = "0", ["m"] = trade?.Maker ?? false, ["R"] = o.ReduceOnly, ["wt"] = o.WorkingType.ToString(), ["ot"] = o.OrigType.ToString(),
                ["ps"] = o.PositionSide.ToString(), ["cp"] = o.ClosePosition, ["rp"] = Wire.Money(trade?.RealizedPnl ?? 0), ["pP"] = o.PriceProtect,
                ["si"] = 0, ["ss"] = 0, ["V"] = "EXPIRE_MAKER", ["pm"] = "NONE", ["gtd"] = o.GoodTillDate,
            },
        }).ToJsonString();
    }

    private static string AccountEvent(VenueBooks books, IReadOnlyList<string> symbols, long ms, Func<string, JsonNode[]> positionsOf)
    {
        var positions = symbols.SelectMany(positionsOf).Select(p => new JsonObject
        {
            ["s"] = (string?)p["symbol"],
            ["pa"] = (string?)p["positionAmt"],
            ["ep"] = (string?)p["entryPrice"],
            ["bep"] = (string?)p["breakEvenPrice"],
            ["cr"] = "0",
            ["up"] = (string?)p["unRealizedProfit"],
            ["mt"] = (string?)p["marginType"],
            ["iw"] = (string?)p["isolatedWallet"],
            ["ps"] = (string?)p["positionSide"],
        });
        var wallet = books.Account.WalletBalance.ToString("0.00000000", CultureInfo.InvariantCulture);
        return (new JsonObject
        {
            ["e"] = "ACCOUNT_UPDATE",
            ["E"] = ms,
            ["T"] = ms,
            ["a"] = new JsonObject { ["m"] = "ORDER", ["B"] = new JsonArray(new JsonObject { ["a"] = "USDT", ["wb"] = wallet, ["cw"] = wallet, ["bc"] = "0" }), ["P"] = Wire.List(positions) },
        }).ToJsonString();
    }
}
