using System.Globalization;
using System.Threading.Channels;
using System.Text.Json;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Which bot owns which order on a shared account, and each bot's exposure from its own orders. Every order a bot
/// places is reserved here (atomically with the caller's risk check) before it is sent, updated from every answer
/// the gateway sees, and persisted by <see cref="OwnershipWriter"/>; a restart reloads it and
/// <see cref="OwnershipRecovery"/> adopts tagged orders the store missed. All state is under one lock: the
/// work done under it is a few dictionary operations, never I/O.
/// </summary>
internal sealed class OwnershipLedger(TimeProvider time)
{
    /// <summary>
    /// A closed order that executed nothing is kept this long after its last change (queries and cancels by exchange id):
    /// the exchange itself stops finding such orders 3 days after they were created (Binance USDⓈ-M Futures "Query Order",
    /// "All Orders"), and a last change comes at or after creation; one day more for clocks. Orders placed and canceled all
    /// day are most of what a busy ledger holds.
    /// </summary>
    public static readonly TimeSpan UnfilledKept = TimeSpan.FromDays(4);

    /// <summary>
    /// A closed order that executed something is kept this long: the longest history the exchange still answers about it
    /// (trade lists reach back 6 months, Binance USDⓈ-M Futures "Account Trade List"), so the bot's own trades and income
    /// stay visible to it. After that only its fill remains, in the bot's position share.
    /// </summary>
    public static readonly TimeSpan FilledKept = TimeSpan.FromDays(183);

    /// <summary>
    /// Set at start from the store's mark (<see cref="OwnershipStore.CommittedThroughAsync"/>): changes queued before
    /// <c>SinceMs</c> had been written when the gateway last stopped; later ones, up to this start, may have been lost with
    /// it, and the orders sent meanwhile are looked up again (<see cref="OwnershipRecovery"/>). Null: no mark to go by.
    /// </summary>
    public (long SinceMs, long UntilMs)? PossiblyLost { get; set; }

    private readonly Lock _gate = new();
    private readonly Dictionary<(ExchangeAccount Account, bool Algo, string ClientId), OwnedOrder> _byClientId = [];
    private readonly Dictionary<(ExchangeAccount Account, bool Algo, long Id), OwnedOrder> _byOrderId = [];
    private readonly Dictionary<(ExchangeAccount Account, string Bot, bool Algo, string BotClientId), OwnedOrder> _byBotClientId = [];
    private readonly Dictionary<(string Bot, ExchangeAccount Account, string Symbol, string PositionSide), PositionShare> _shares = [];

    // Mapped exchange ids' bot ids from sent records (RememberBotIds), for orders not yet adopted; taken when one is. A few:
    // the mapped orders of the window whose writes may have been lost; one the exchange never took stays, unused.
    private readonly Dictionary<(ExchangeAccount Account, bool Algo, string ClientId), string> _sentBotIds = [];

    // The same shares by (bot, account, symbol), every position side: an order's open-order count without walking
    // every bot's every symbol under the lock.
    private readonly Dictionary<(string Bot, ExchangeAccount Account, string Symbol), List<PositionShare>> _sharesBySymbol = [];
    private readonly Dictionary<(ExchangeAccount Account, long TradeId), long> _tradeOrders = [];
    private readonly Queue<(ExchangeAccount Account, long TradeId, long LearnedAtMs)> _tradesByAge = new();

    // The orders not yet closed: the ledger keeps closed orders for months, so queries for open ones must not walk them all.
    private readonly HashSet<OwnedOrder> _open = new(ReferenceEqualityComparer.Instance);

    // Closed orders by when they may be forgotten (an entry is stale when the order changed since: it was queued again).
    private readonly PriorityQueue<OwnedOrder, long> _closedByExpiry = new();
    private readonly Channel<OwnedOrder> _changes = Channel.CreateUnbounded<OwnedOrder>(new UnboundedChannelOptions { SingleReader = true });

    // The hold of the request whose flow this is, if it holds the writer's wake-ups (HoldWakes).
    private static readonly AsyncLocal<WakeHold?> s_hold = new();

    /// <summary>Snapshots of changed orders, for the store (read them after <see cref="Announced"/> is set and reset, not by waiting on this).</summary>
    public ChannelReader<OwnedOrder> Changes => _changes.Reader;

    /// <summary>
    /// The writer's wake-up, apart from the changes themselves: set when a change is announced (at once, or when the request
    /// that held its announcement ends), however many changes it covers. The writer's own thread sleeps on it, without spinning
    /// first (between changes it has nothing to do), and resets it before it reads <see cref="Changes"/>, so that a change queued
    /// after that sets it again. The writer's own timer and its stop set it too; they find no change and go on.
    /// </summary>
    internal ManualResetEventSlim Announced { get; } = new(initialState: false, spinCount: 0);

    /// <summary>
    /// Holds the writer's wake-ups for the changes this request's flow makes (its reservation, its answer's outcome) until
    /// the hold is disposed, when the request is done with the ledger: one wake-up for all of them, after its answer, not
    /// one on the order's way out and another on its answer's (each wake-up costs the thread that makes it a system call
    /// to wake the writer's, on the order's path when made there, docs/PERFORMANCE.md). The changes themselves are made at once: every reader of the ledger sees them; only
    /// their write to the store waits, which no order waits for. Not for a ledger shared by replicas, whose others learn
    /// a reservation from that write.
    /// </summary>
    public IDisposable HoldWakes()
    {
        var hold = new WakeHold(this);
        s_hold.Value = hold;
        return hold;
    }

    private void Persist(OwnedOrder snapshot)
    {
        _changes.Writer.TryWrite(snapshot);
        if (s_hold.Value is not { } hold || hold.Ledger != this || !hold.TryHold())
        {
            Wake();
        }
    }

    private void Wake() => Announced.Set();

    /// <summary>The exchange id an existing order of the bot has, from the id the bot knows; null when it has none.</summary>
    public string? ExchangeIdOf(string bot, ExchangeAccount account, string botClientId, bool algo)
    {
        lock (_gate)
        {
            if (_byBotClientId.TryGetValue((account, bot, algo, botClientId), out var order))
            {
                return order.ClientId;
            }
        }

        // Not mapped (a short id is carried directly, so it names only this bot's orders) or no longer in memory.
        return ClientIds.Direct(ClientIds.Tag(bot), botClientId);
    }

    /// <summary>The id the bot knows for an exchange client id, or null when the order is not the bot's.</summary>
    public string? BotIdOf(string bot, ExchangeAccount account, string? exchangeId, bool algo)
    {
        if (!ClientIds.TryParse(exchangeId, out var tag, out var mapped, out var rest) || tag != ClientIds.Tag(bot))
        {
            return null;
        }

        if (!mapped)
        {
            return rest;
        }

        lock (_gate)
        {
            // A triggered algo order's child carries the algo order's id.
            return _byClientId.TryGetValue((account, algo, exchangeId!), out var order) || _byClientId.TryGetValue((account, !algo, exchangeId!), out order)
                ? order.BotClientId
                : exchangeId;
        }
    }

    /// <summary>True when the order (or algo order) with this exchange-assigned id is the bot's.</summary>
    public bool Owns(string bot, ExchangeAccount account, long orderId, bool algo)
    {
        lock (_gate)
        {
            return _byOrderId.TryGetValue((account, algo, orderId), out var order) && order.Bot == bot;
        }
    }

    /// <summary>Remembers which order a trade filled (from trade lists the gateway has seen), so income tied to a trade finds its owner.</summary>
    public void LearnTrade(ExchangeAccount account, long tradeId, long orderId)
    {
        lock (_gate)
        {
            // Trade lists are polled: a trade seen again keeps its first sighting's one place in the queue.
            var firstSighting = !_tradeOrders.ContainsKey((account, tradeId));
            _tradeOrders[(account, tradeId)] = orderId;
            if (firstSighting)
            {
                _tradesByAge.Enqueue((account, tradeId, time.GetUtcNow().ToUnixTimeMilliseconds()));
            }
        }
    }

    /// <summary>Whether the trade filled one of the bot's orders; null when the trade is not known.</summary>
    public bool? OwnsTrade(string bot, ExchangeAccount account, long tradeId)
    {
        lock (_gate)
        {
            return _tradeOrders.TryGetValue((account, tradeId), out var orderId)
                ? _byOrderId.TryGetValue((account, false, orderId), out var order) && order.Bot == bot
                : null;
        }
    }

    public OwnedOrder? FindByOrderId(ExchangeAccount account, long orderId, bool algo)
    {
        lock (_gate)
        {
            return _byOrderId.TryGetValue((account, algo, orderId), out var order) ? order.Copy() : null;
        }
    }

    /// <summary>The bot's orders that are (or may still be) open, optionally on one symbol.</summary>
    public IReadOnlyList<OwnedOrder> OpenOrders(string bot, ExchangeAccount? account = null, string? symbol = null, bool? algo = null)
    {
        lock (_gate)
        {
            return [.. _open
                .Where(o => o.Bot == bot && o.IsOpen && o.State != OwnedOrderState.InFlight
                    && (account is null || o.Account == account) && (symbol is null || o.Symbol == symbol) && (algo is null || o.Algo == algo))
                .Select(o => o.Copy())];
        }
    }

    /// <summary>
    /// The ids bots know orders by whose exchange ids do not carry them (mapped), as the <c>sent</c> records of the window
    /// whose ledger writes may have been lost name them (<see cref="OwnershipRecovery"/>). An order adopted from the
    /// exchange later keeps its bot's id; one adopted already, under its exchange id for want of it, takes it now. Without
    /// them such an order, recovered, answered to its exchange id only and the bot could not find it by its own.
    /// </summary>
    public void RememberBotIds(IEnumerable<(ExchangeAccount Account, bool Algo, string ClientId, string BotClientId)> ids)
    {
        lock (_gate)
        {
            foreach (var (account, algo, clientId, botId) in ids)
            {
                if (!_byClientId.TryGetValue((account, algo, clientId), out var held))
                {
                    _sentBotIds[(account, algo, clientId)] = botId;
                }
                else if (held.BotClientId == clientId && botId != clientId)
                {
                    RemoveIfHeld(_byBotClientId, (account, held.Bot, algo, clientId), held);
                    held.RestoreBotId(botId);
                    _byBotClientId[(account, held.Bot, algo, botId)] = held;
                    Persist(held.Copy());
                }
            }
        }
    }

    /// <summary>Whether an order with this exchange client id was placed through the gateway (or adopted by its tag).</summary>
    public bool Knows(ExchangeAccount account, string clientId, bool algo = false)
    {
        lock (_gate)
        {
            return _byClientId.ContainsKey((account, algo, clientId));
        }
    }

    /// <summary>Every order held as open on the account, whoever owns it.</summary>
    public IReadOnlyList<OwnedOrder> OpenOrdersOn(ExchangeAccount account)
    {
        lock (_gate)
        {
            return [.. _open.Where(o => o.Account == account && o.State != OwnedOrderState.InFlight).Select(o => o.Copy())];
        }
    }

    /// <summary>
    /// Every plain order on the account held as open (in flight too), or whose state the ledger last changed at or after
    /// <paramref name="sinceMs"/> (reserved, answered, looked up or merged), closed ones included: after a gap in the
    /// account's stream, the orders whose events it may have missed. Walks every order the ledger keeps, so it is for
    /// reconnects, not requests.
    /// </summary>
    public IReadOnlyList<OwnedOrder> OpenOrChangedOn(ExchangeAccount account, long sinceMs)
    {
        lock (_gate)
        {
            return [.. _byClientId.Values.Where(o => o.Account == account && !o.Algo && (o.IsOpen || o.UpdatedAtMs >= sinceMs)).Select(o => o.Copy())];
        }
    }

    /// <summary>Every bot's non-zero share of a position (the sum of its own fills), for the position watch.</summary>
    public IReadOnlyList<BotPosition> Positions()
    {
        lock (_gate)
        {
            return [.. _shares.Where(s => s.Value.Filled != 0).Select(s => new BotPosition(s.Key.Bot, s.Key.Account, s.Key.Symbol, s.Key.PositionSide, s.Value.Filled))];
        }
    }

    /// <summary>Accounts with open orders (for reconciliation after a restart).</summary>
    public IReadOnlySet<ExchangeAccount> AccountsWithOpenOrders()
    {
        lock (_gate)
        {
            return _open.Select(o => o.Account).ToHashSet();
        }
    }

    /// <summary>
    /// Adds <paramref name="drafts"/> as in-flight orders if <paramref name="check"/> passes for every (symbol,
    /// position side) they touch, with the drafts already counted: check and reservation are one step, so
    /// parallel requests and the elements of a batch can never pass on the same numbers. Returns the refusal, or null.
    /// </summary>
    public string? TryReserve(IReadOnlyList<OwnedOrder> drafts, Func<SymbolExposure, string?> check)
    {
        lock (_gate)
        {
            // Drafts grouped by (bot, account, symbol, position side), in order of first appearance: a batch holds at
            // most a few orders, so each draft looks back for an earlier one of its group.
            for (var i = 0; i < drafts.Count; i++)
            {
                var first = drafts[i];
                if (FirstOfGroupBefore(drafts, i))
                {
                    continue;
                }

                var share = ShareOf(first);
                var exposure = share.ToExposure(first.Symbol, first.PositionSide, OpenCount(first.Bot, first.Account, first.Symbol));
                for (var j = i; j < drafts.Count; j++)
                {
                    var d = drafts[j];
                    if (!SameGroup(first, d))
                    {
                        continue;
                    }

                    exposure = d.Reducing
                        ? exposure with { ReducingBuy = exposure.ReducingBuy + (d.Sign > 0 ? d.OrigQty : 0), ReducingSell = exposure.ReducingSell + (d.Sign < 0 ? d.OrigQty : 0), OpenOrders = exposure.OpenOrders + 1, Reduces = true }
                        : exposure with { PendingBuy = exposure.PendingBuy + (d.Sign > 0 ? d.OrigQty : 0), PendingSell = exposure.PendingSell + (d.Sign < 0 ? d.OrigQty : 0), OpenOrders = exposure.OpenOrders + 1, AddsRisk = true };
                }

                if (check(exposure) is { } refusal)
                {
                    return refusal;
                }
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var draft in drafts)
            {
                draft.State = OwnedOrderState.InFlight;
                draft.UpdatedAtMs = now;
                Add(draft);
            }

            return null;
        }

        static bool SameGroup(OwnedOrder a, OwnedOrder b) =>
            a.Bot == b.Bot && a.Account == b.Account && a.Symbol == b.Symbol && a.PositionSide == b.PositionSide;

        static bool FirstOfGroupBefore(IReadOnlyList<OwnedOrder> drafts, int i)
        {
            for (var j = 0; j < i; j++)
            {
                if (SameGroup(drafts[j], drafts[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public OwnedOrder? FindByClientId(ExchangeAccount account, string clientId, bool algo)
    {
        lock (_gate)
        {
            return _byClientId.TryGetValue((account, algo, clientId), out var order) ? order.Copy() : null;
        }
    }

    /// <summary>
    /// An amendment of an open order to <paramref name="quantity"/>: checked like a new order (the order counted
    /// at its new size) and, if it passes, counted at the larger of the two sizes until the exchange's answer says which holds.
    /// </summary>
    public string? TryAmend(ExchangeAccount account, string clientId, decimal quantity, Func<SymbolExposure, string?> check)
    {
        lock (_gate)
        {
            if (!_byClientId.TryGetValue((account, false, clientId), out var order) || !order.IsOpen || quantity <= order.OrigQty)
            {
                return null;
            }

            var share = ShareOf(order);
            var extra = quantity - order.OrigQty;
            var exposure = share.ToExposure(order.Symbol, order.PositionSide, OpenCount(order.Bot, account, order.Symbol)) with { AddsRisk = !order.Reducing, Reduces = order.Reducing };
            exposure = order.Reducing
                ? exposure with { ReducingBuy = exposure.ReducingBuy + (order.Sign > 0 ? extra : 0), ReducingSell = exposure.ReducingSell + (order.Sign < 0 ? extra : 0) }
                : exposure with { PendingBuy = exposure.PendingBuy + (order.Sign > 0 ? extra : 0), PendingSell = exposure.PendingSell + (order.Sign < 0 ? extra : 0) };
            if (check(exposure) is { } refusal)
            {
                return refusal;
            }

            Change(order, order.State, order.ExecutedQty, quantity, order.OrderId);
            return null;
        }
    }

    /// <summary>An in-flight order that never reached the exchange (refused later in the pipeline): forgotten.</summary>
    public void Release(OwnedOrder order)
    {
        lock (_gate)
        {
            if (order.State == OwnedOrderState.InFlight && _byClientId.TryGetValue(Key(order), out var held) && ReferenceEquals(held, order))
            {
                Remove(order);
                Persist(Deleted(order));
            }
        }
    }

    /// <summary>An in-flight order whose fate nobody can tell yet: kept as open (its whole quantity counts) until an answer settles it.</summary>
    public void MarkUnknown(OwnedOrder order)
    {
        lock (_gate)
        {
            if (order.State == OwnedOrderState.InFlight)
            {
                Change(order, OwnedOrderState.Unknown, order.ExecutedQty, order.OrigQty, order.OrderId);
            }
        }
    }

    /// <summary>The exchange said the order does not exist: closed with what (if anything) it had executed.</summary>
    public void MarkGone(ExchangeAccount account, string clientId, bool algo)
    {
        lock (_gate)
        {
            if (_byClientId.TryGetValue((account, algo, clientId), out var order) && order.IsOpen)
            {
                Change(order, OwnedOrderState.Closed, order.ExecutedQty, order.OrigQty, order.OrderId);
            }
        }
    }

    /// <summary>
    /// Updates the ledger from an order or algo order as the exchange shows it (an answer, a list entry, a look-up).
    /// An order carrying a known bot's tag that the ledger lacks is adopted (<paramref name="botForTag"/>).
    /// </summary>
    public void Observe(ExchangeAccount account, JsonElement order, Func<string, string?>? botForTag = null)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var algo = order.TryGetProperty("algoId", out _);
        var clientId = Text(order, algo ? "clientAlgoId" : "clientOrderId");
        if (clientId is null)
        {
            return;
        }

        var status = Text(order, algo ? "algoStatus" : "status");
        var executed = algo ? 0m : Number(order, "executedQty");
        var orig = Number(order, algo ? "quantity" : "origQty");
        var id = order.TryGetProperty(algo ? "algoId" : "orderId", out var idValue) && idValue.TryGetInt64(out var parsedId) ? parsedId : (long?)null;
        var state = status switch
        {
            "NEW" or "PARTIALLY_FILLED" or "PENDING_NEW" => OwnedOrderState.Open,
            null => OwnedOrderState.Open,
            _ => OwnedOrderState.Closed,
        };

        lock (_gate)
        {
            if (!_byClientId.TryGetValue((account, algo, clientId), out var owned))
            {
                owned = Adopt(account, order, clientId, algo, botForTag);
                if (owned is null)
                {
                    return;
                }
            }

            // A triggered algo order becomes a plain order with the same client id: the child carries the exposure on.
            if (algo && status is "TRIGGERED" or "FINISHED" && _byClientId.ContainsKey((account, false, clientId)))
            {
                Change(owned, OwnedOrderState.Closed, 0, owned.OrigQty, id);
                return;
            }

            if (algo && status is "TRIGGERED")
            {
                // Still counted in full until its child order is seen.
                Change(owned, OwnedOrderState.Open, 0, owned.OrigQty, id);
                return;
            }

            Change(owned, state, Math.Max(executed ?? 0m, owned.ExecutedQty), orig ?? owned.OrigQty, id ?? owned.OrderId);
        }
    }

    /// <summary>Loads the stored ledger at start.</summary>
    public void Load(IEnumerable<OwnedOrder> orders)
    {
        lock (_gate)
        {
            foreach (var order in orders)
            {
                if (!_byClientId.ContainsKey(Key(order)))
                {
                    Add(order, persist: false);
                }
            }
        }
    }

    /// <summary>
    /// At start, the fills of orders closed longer ago than <see cref="FilledKept"/>, summed per bot and position: part of
    /// each bot's share, though the orders themselves are not loaded.
    /// </summary>
    public void LoadSettled(IEnumerable<BotPosition> settled)
    {
        lock (_gate)
        {
            foreach (var s in settled)
            {
                ShareOf((s.Bot, s.Account, s.Symbol, s.PositionSide)).Settle(s.Quantity);
            }
        }
    }

    /// <summary>
    /// Forgets the closed orders kept long enough (<see cref="UnfilledKept"/>, <see cref="FilledKept"/>) and trades learned
    /// longer ago than the exchange keeps them, so the ledger does not grow with every order ever placed. A forgotten
    /// order's fill stays in its bot's position share. Returns the number of orders forgotten.
    /// </summary>
    public int ForgetExpired()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var forgotten = 0;
        lock (_gate)
        {
            while (_closedByExpiry.TryPeek(out var order, out var due) && due <= now)
            {
                _closedByExpiry.Dequeue();
                if (!order.IsOpen && ExpiryOf(order) == due && Unindex(order))
                {
                    forgotten++;
                }
            }

            var tradesDue = now - (long)FilledKept.TotalMilliseconds;
            while (_tradesByAge.TryPeek(out var trade) && trade.LearnedAtMs <= tradesDue)
            {
                // A trade is queued once, at its first sighting, and leaves the map only here.
                _tradesByAge.Dequeue();
                _tradeOrders.Remove((trade.Account, trade.TradeId));
            }
        }

        return forgotten;
    }

    /// <summary>The number of orders the ledger holds (open and closed), for its gauge.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byClientId.Count;
            }
        }
    }

    /// <summary>
    /// Rows other replicas wrote (the cluster's shared ledger): orders this replica does not know are added, known ones
    /// only move forward (in flight → open → closed, executed quantity never down), so a late or repeated row changes
    /// nothing. Nothing merged is written back: the replica that owns the change wrote it.
    /// </summary>
    public void Merge(IEnumerable<OwnedOrder> rows)
    {
        lock (_gate)
        {
            foreach (var row in rows)
            {
                if (!_byClientId.TryGetValue(Key(row), out var local))
                {
                    // A closed row past its keeping time may be one this replica has forgotten: its fill is already counted.
                    if (row.IsOpen || (row.ExecutedQty != 0 && ExpiryOf(row) > time.GetUtcNow().ToUnixTimeMilliseconds()))
                    {
                        Add(row, persist: false);
                    }

                    continue;
                }

                var forward = Rank(row.State) > Rank(local.State);
                var state = forward ? row.State : local.State;
                var orig = forward || row.State == local.State ? row.OrigQty : local.OrigQty;
                Change(local, state, Math.Max(local.ExecutedQty, row.ExecutedQty), orig, local.OrderId ?? row.OrderId, persist: false);
            }
        }

        static int Rank(OwnedOrderState state) => state switch
        {
            OwnedOrderState.InFlight => 0,
            OwnedOrderState.Closed => 2,
            _ => 1,
        };
    }

    private OwnedOrder? Adopt(ExchangeAccount account, JsonElement order, string clientId, bool algo, Func<string, string?>? botForTag)
    {
        if (!ClientIds.TryParse(clientId, out var tag, out var mapped, out var rest))
        {
            return null;
        }

        // A closed order whose last change is older than the ledger keeps closed orders: if it was ours it has been
        // forgotten and its fill is already in the bot's share; adopting it again would count that fill twice.
        if (Text(order, algo ? "algoStatus" : "status") is not (null or "NEW" or "PARTIALLY_FILLED" or "PENDING_NEW" or "TRIGGERED")
            && order.TryGetProperty("updateTime", out var updated) && updated.TryGetInt64(out var updatedMs)
            && ExpiryOf(updatedMs, Number(order, "executedQty") ?? 0m) <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return null;
        }

        // A triggered algo order's child: same owner and id as its parent.
        var parent = algo ? null : _byClientId.GetValueOrDefault((account, true, clientId));
        var bot = parent?.Bot ?? botForTag?.Invoke(tag);
        if (bot is null)
        {
            return null;
        }

        var adopted = new OwnedOrder
        {
            Bot = bot,
            Account = account,
            Symbol = OrderStrings.Of(Text(order, "symbol") ?? ""),
            ClientId = clientId,
            BotClientId = parent?.BotClientId ?? (!mapped ? rest : SentBotId(account, algo, clientId) ?? clientId),
            Algo = algo,
            Side = OrderStrings.Of(Text(order, "side") ?? "BUY"),
            PositionSide = OrderStrings.Of(Text(order, "positionSide") ?? "BOTH"),
            Reducing = Flag(order, "reduceOnly") || Flag(order, "closePosition") || (Text(order, "positionSide"), Text(order, "side")) is ("LONG", "SELL") or ("SHORT", "BUY"),
            OrigQty = Number(order, algo ? "quantity" : "origQty") ?? 0,
            State = OwnedOrderState.InFlight,
        };
        Add(adopted);
        if (parent is not null)
        {
            Change(parent, OwnedOrderState.Closed, 0, parent.OrigQty, parent.OrderId);
        }

        return adopted;
    }

    /// <summary>
    /// The bot id a sent record gave this mapped exchange id, taken once used. A triggered algo order's child carries its
    /// parent's exchange id: the parent's entry serves it too, and stays for the parent.
    /// </summary>
    private string? SentBotId(ExchangeAccount account, bool algo, string clientId) =>
        _sentBotIds.Remove((account, algo, clientId), out var botId) ? botId
        : !algo && _sentBotIds.TryGetValue((account, true, clientId), out botId) ? botId
        : null;

    private void Add(OwnedOrder order, bool persist = true)
    {
        _byClientId[Key(order)] = order;

        // Only an id that does not carry the bot's id needs the pair: for the others ExchangeIdOf computes the same id, and
        // the order reads the bot's id back from its own.
        if (ClientIds.Carries(ClientIds.Tag(order.Bot), order.BotClientId, order.ClientId))
        {
            order.DropCarriedBotId();
        }
        else
        {
            _byBotClientId[(order.Account, order.Bot, order.Algo, order.BotClientId)] = order;
        }

        if (order.OrderId is { } id)
        {
            _byOrderId[(order.Account, order.Algo, id)] = order;
        }

        ShareOf(order).Add(order, +1);
        Track(order);
        if (persist)
        {
            Persist(order.Copy());
        }
    }

    private void Remove(OwnedOrder order)
    {
        ShareOf(order).Add(order, -1);
        _ = Unindex(order);
    }

    /// <summary>
    /// Out of every index that still names this order (a closed order's client id may have been reused by a newer one);
    /// its share keeps what it added (a forgotten order's fill) unless the caller took it back. False when none did.
    /// </summary>
    private bool Unindex(OwnedOrder order)
    {
        _open.Remove(order);
        var removed = RemoveIfHeld(_byClientId, Key(order), order);
        if (order.KeepsBotId)
        {
            // Only those are in this index (Add); for the others the key would be read back from the exchange id for nothing.
            removed |= RemoveIfHeld(_byBotClientId, (order.Account, order.Bot, order.Algo, order.BotClientId), order);
        }

        if (order.OrderId is { } id)
        {
            removed |= RemoveIfHeld(_byOrderId, (order.Account, order.Algo, id), order);
        }

        return removed;
    }

    /// <summary>Removes the index's entry for the key only if it still names this order (a reused id may name a newer one).</summary>
    private static bool RemoveIfHeld<TKey>(Dictionary<TKey, OwnedOrder> index, TKey key, OwnedOrder order)
        where TKey : notnull =>
        index.TryGetValue(key, out var held) && ReferenceEquals(held, order) && index.Remove(key);

    private void Change(OwnedOrder order, OwnedOrderState state, decimal executed, decimal orig, long? id, bool persist = true)
    {
        if (order.State == state && order.ExecutedQty == executed && order.OrigQty == orig && order.OrderId == id)
        {
            return;
        }

        var share = ShareOf(order);
        share.Add(order, -1);
        order.State = state;
        order.ExecutedQty = executed;
        order.OrigQty = orig;
        if (id is { } orderId && order.OrderId != orderId)
        {
            order.OrderId = orderId;
            _byOrderId[(order.Account, order.Algo, orderId)] = order;
        }

        order.UpdatedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        share.Add(order, +1);
        Track(order);
        if (persist)
        {
            Persist(order.Copy());
        }
    }

    private void Track(OwnedOrder order)
    {
        if (order.IsOpen)
        {
            _open.Add(order);
        }
        else
        {
            _open.Remove(order);
            _closedByExpiry.Enqueue(order, ExpiryOf(order));
        }
    }

    private static long ExpiryOf(OwnedOrder order) => ExpiryOf(order.UpdatedAtMs, order.ExecutedQty);

    /// <summary>When a closed order last changed at <paramref name="updatedMs"/> may be forgotten.</summary>
    private static long ExpiryOf(long updatedMs, decimal executed) =>
        updatedMs + (long)(executed != 0 ? FilledKept : UnfilledKept).TotalMilliseconds;

    private int OpenCount(string bot, ExchangeAccount account, string symbol)
    {
        var open = 0;
        if (_sharesBySymbol.TryGetValue((bot, account, symbol), out var sides))
        {
            foreach (var side in sides)
            {
                open += side.OpenOrders;
            }
        }

        return open;
    }

    private PositionShare ShareOf(OwnedOrder order) => ShareOf((order.Bot, order.Account, order.Symbol, order.PositionSide));

    private PositionShare ShareOf((string, ExchangeAccount, string, string) key)
    {
        if (!_shares.TryGetValue(key, out var share))
        {
            _shares[key] = share = new PositionShare();
            var bySymbol = (key.Item1, key.Item2, key.Item3);
            if (!_sharesBySymbol.TryGetValue(bySymbol, out var sides))
            {
                _sharesBySymbol[bySymbol] = sides = new List<PositionShare>(1);
            }

            sides.Add(share);
        }

        return share;
    }

    private static (ExchangeAccount, bool, string) Key(OwnedOrder order) => (order.Account, order.Algo, order.ClientId);

    private static OwnedOrder Deleted(OwnedOrder order)
    {
        var copy = order.Copy();
        copy.State = OwnedOrderState.Closed;
        copy.OrigQty = 0;
        copy.ExecutedQty = 0;
        return copy;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Flag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && (v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.String && v.GetString() == "true"));

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>Running sums of one bot's orders on one (account, symbol, position side).</summary>
    private sealed class PositionShare
    {
        public decimal Filled { get; private set; }

        public decimal PendingBuy { get; private set; }

        public decimal PendingSell { get; private set; }

        public decimal ReducingBuy { get; private set; }

        public decimal ReducingSell { get; private set; }

        public int OpenOrders { get; private set; }

        /// <summary>Fills of orders no longer held (forgotten, or never loaded since they closed long ago).</summary>
        public void Settle(decimal quantity) => Filled += quantity;

        public void Add(OwnedOrder o, int direction)
        {
            Filled += direction * o.Sign * o.ExecutedQty;
            if (!o.IsOpen)
            {
                return;
            }

            OpenOrders += direction;
            var remaining = direction * o.Remaining;
            if (o.Reducing)
            {
                ReducingBuy += o.Sign > 0 ? remaining : 0;
                ReducingSell += o.Sign < 0 ? remaining : 0;
            }
            else
            {
                PendingBuy += o.Sign > 0 ? remaining : 0;
                PendingSell += o.Sign < 0 ? remaining : 0;
            }
        }

        public SymbolExposure ToExposure(string symbol, string positionSide, int openOrders) =>
            new(symbol, positionSide, Filled, PendingBuy, PendingSell, ReducingBuy, ReducingSell, openOrders, AddsRisk: false, Reduces: false);
    }

    /// <summary>
    /// A request's hold on the writer's wake-ups. Its state moves once from "nothing held" or "a change held" to "released";
    /// a change made after the release (work the request started and left running) wakes the writer itself.
    /// </summary>
    private sealed class WakeHold(OwnershipLedger ledger) : IDisposable
    {
        private const int Empty = 0;
        private const int Held = 1;
        private const int Released = 2;
        private int _state;

        public OwnershipLedger Ledger => ledger;

        public bool TryHold() => Interlocked.CompareExchange(ref _state, Held, Empty) != Released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _state, Released) == Held)
            {
                ledger.Wake();
            }
        }
    }
}
