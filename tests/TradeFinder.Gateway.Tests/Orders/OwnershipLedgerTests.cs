using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Tests.Orders;

public sealed class OwnershipLedgerTests
{
    private static readonly ExchangeAccount Account = ExchangeAccount.Of(TradingMode.Paper, null);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly OwnershipLedger _ledger;

    public OwnershipLedgerTests() => _ledger = new OwnershipLedger(_time);

    private static OwnedOrder Draft(string bot, string side, decimal quantity, bool reducing = false, string symbol = "BTCUSDT", string positionSide = "BOTH")
    {
        var botId = ClientIds.NewBotId();
        return new OwnedOrder
        {
            Bot = bot, Account = Account, Symbol = symbol, ClientId = ClientIds.Direct(ClientIds.Tag(bot), botId)!, BotClientId = botId,
            Side = side, PositionSide = positionSide, Reducing = reducing, OrigQty = quantity,
        };
    }

    private static JsonElement Answer(OwnedOrder order, string status, decimal executed, long orderId) => JsonSerializer.SerializeToElement(new
    {
        orderId, symbol = order.Symbol, status, clientOrderId = order.ClientId, origQty = order.OrigQty.ToString(System.Globalization.CultureInfo.InvariantCulture),
        executedQty = executed.ToString(System.Globalization.CultureInfo.InvariantCulture), side = order.Side, positionSide = "BOTH", reduceOnly = order.Reducing,
    });

    /// <summary>An order resting at the exchange under this client id, as its open-order list shows it.</summary>
    private static JsonElement Resting(string clientId, long orderId, string side = "BUY") => JsonSerializer.SerializeToElement(new
    {
        orderId, symbol = "BTCUSDT", status = "NEW", clientOrderId = clientId, origQty = "0.1", executedQty = "0", side, positionSide = "BOTH",
    });

    /// <summary>A cap of <paramref name="max"/> on the worst-case position, as the risk step applies it.</summary>
    private static Func<SymbolExposure, string?> Cap(decimal max) => e =>
        e.Reduces && !e.ReducingFits ? "reduce" : e.AddsRisk && e.WorstCase > max ? "cap" : null;

    [Fact]
    public void Reserve_CountsOpenAndInFlightOrders_AndSumsABatch()
    {
        Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.6m)], Cap(1m)));

        // 0.6 in flight + 0.3 + 0.3 in one batch would be 1.2: the batch is refused whole.
        Assert.Equal("cap", _ledger.TryReserve([Draft("alpha", "BUY", 0.3m), Draft("alpha", "BUY", 0.3m)], Cap(1m)));
        Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.2m), Draft("alpha", "BUY", 0.2m)], Cap(1m)));

        // Another bot's exposure is its own.
        Assert.Null(_ledger.TryReserve([Draft("beta", "BUY", 1m)], Cap(1m)));
    }

    [Fact]
    public async Task ARequestsChanges_WakeTheWriterOnce_WhenItsHoldEnds()
    {
        var order = Draft("alpha", "BUY", 0.5m);
        await InRequestAsync(() =>
        {
            Assert.Null(_ledger.TryReserve([order], Cap(1m)));
            _ledger.Observe(Account, Answer(order, "NEW", 0m, 41));

            // Made, and readable, but the writer is not told yet.
            Assert.NotNull(_ledger.FindByOrderId(Account, 41, algo: false));
            Assert.False(_ledger.Announced.IsSet);
        });

        Assert.True(TakeWake());
        Assert.True(_ledger.Changes.TryRead(out var reserved));
        Assert.True(_ledger.Changes.TryRead(out var answered));
        Assert.Equal((OwnedOrderState.InFlight, OwnedOrderState.Open), (reserved.State, answered.State));

        // One wake for both changes: none is left once the writer took it.
        Assert.False(TakeWake());
    }

    [Fact]
    public async Task AChangeOutsideAHold_OrAfterItEnded_WakesTheWriterAtOnce()
    {
        var other = new OwnershipLedger(_time);
        await InRequestAsync(() =>
        {
            // Another ledger's hold is not this one's.
            using var elsewhere = other.HoldWakes();
            Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.1m)], Cap(1m)));
            Assert.True(TakeWake());
        });

        Task? leftRunning = null;
        await InRequestAsync(() => leftRunning = Task.Run(async () =>
        {
            await Task.Delay(50);
            Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.1m)], Cap(1m))); // the hold has ended by now
        }));
        Assert.False(TakeWake());
        await leftRunning!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(TakeWake());
    }

    /// <summary>As the writer takes a wake-up before it reads the changes: whether there was one.</summary>
    private bool TakeWake()
    {
        var set = _ledger.Announced.IsSet;
        _ledger.Announced.Reset();
        return set;
    }

    /// <summary>As the ownership step runs a request: the ledger's wakes held for its flow, released when it is done.</summary>
    private async Task InRequestAsync(Action request)
    {
        using (_ledger.HoldWakes())
        {
            await Task.Yield();
            request();
        }
    }

    [Fact]
    public void AnotherReplicasRows_CountHere_OnlyMoveForward_AndAreNotWrittenBack()
    {
        var elsewhere = Draft("alpha", "BUY", 0.6m);
        elsewhere.State = OwnedOrderState.InFlight; // reserved on another replica, not answered yet
        _ledger.Merge([elsewhere]);
        Assert.Equal("cap", _ledger.TryReserve([Draft("alpha", "BUY", 0.6m)], Cap(1m)));

        var filled = elsewhere.Copy();
        filled.State = OwnedOrderState.Closed;
        filled.ExecutedQty = 0.6m;
        filled.OrderId = 7;
        _ledger.Merge([filled, elsewhere.Copy()]); // a late, older row after the newer one changes nothing
        var merged = _ledger.FindByOrderId(Account, 7, algo: false)!;
        Assert.Equal((OwnedOrderState.Closed, 0.6m), (merged.State, merged.ExecutedQty));

        Assert.False(_ledger.Changes.TryRead(out _)); // the replica that made the change has written it
    }

    [Fact]
    public void OpenOrChangedOn_ListsTheAccountsOpenOrders_AndThoseChangedSinceAnInstant_ClosedOnesToo()
    {
        var before = Draft("alpha", "BUY", 0.1m);
        var closedBefore = Draft("alpha", "SELL", 0.1m);
        var filled = Draft("alpha", "BUY", 0.1m);
        var inFlight = Draft("beta", "SELL", 0.1m);
        Assert.Null(_ledger.TryReserve([before, closedBefore, filled], Cap(10m)));
        _ledger.Observe(Account, Answer(before, "NEW", 0m, 1));
        _ledger.Observe(Account, Answer(closedBefore, "CANCELED", 0m, 3));
        _time.Advance(TimeSpan.FromSeconds(5));
        var since = _time.GetUtcNow().ToUnixTimeMilliseconds();

        _ledger.Observe(Account, Answer(filled, "FILLED", 0.1m, 2));
        Assert.Null(_ledger.TryReserve([inFlight], Cap(10m)));

        Assert.Equal(
            new HashSet<(string, OwnedOrderState)>
            {
                (before.ClientId, OwnedOrderState.Open), (filled.ClientId, OwnedOrderState.Closed), (inFlight.ClientId, OwnedOrderState.InFlight),
            },
            _ledger.OpenOrChangedOn(Account, since).Select(o => (o.ClientId, o.State)).ToHashSet());
        Assert.Empty(_ledger.OpenOrChangedOn(ExchangeAccount.Of(TradingMode.Testnet, null), since));
    }

    [Fact]
    public void Reserve_ChecksEachSymbolAndSideOfABatchOnItsOwn_AndCountsOpenOrdersOnEverySideOfTheSymbol()
    {
        var seen = new List<SymbolExposure>();
        string? Record(SymbolExposure e)
        {
            seen.Add(e);
            return e.OpenOrders > 3 ? "open" : null;
        }

        // Hedge mode: a long and a short order on BTCUSDT, one on ETHUSDT, and a second long interleaved.
        Assert.Null(_ledger.TryReserve(
            [Draft("alpha", "BUY", 0.1m, positionSide: "LONG"), Draft("alpha", "SELL", 0.2m, positionSide: "SHORT"), Draft("alpha", "BUY", 0.3m, symbol: "ETHUSDT"), Draft("alpha", "BUY", 0.4m, positionSide: "LONG")],
            Record));
        Assert.Equal(
            [("BTCUSDT", "LONG", 0.5m, 0m, 2), ("BTCUSDT", "SHORT", 0m, 0.2m, 1), ("ETHUSDT", "BOTH", 0.3m, 0m, 1)],
            seen.Select(e => (e.Symbol, e.PositionSide, e.PendingBuy, e.PendingSell, e.OpenOrders)));
        Assert.All(seen, e => Assert.True(e.AddsRisk && !e.Reduces));

        // The open-order count is the bot's on the symbol, both sides: three in flight, so a fourth is one too many.
        seen.Clear();
        Assert.Equal("open", _ledger.TryReserve([Draft("alpha", "SELL", 0.1m, positionSide: "SHORT")], Record));
        Assert.Equal(4, Assert.Single(seen).OpenOrders);
        Assert.Null(_ledger.TryReserve([Draft("beta", "SELL", 0.1m, positionSide: "SHORT")], Record));
    }

    [Fact]
    public void ReduceOnly_MustFitTheBotsOwnPosition()
    {
        var buy = Draft("alpha", "BUY", 0.5m);
        Assert.Null(_ledger.TryReserve([buy], Cap(10m)));
        _ledger.Observe(Account, Answer(buy, "FILLED", 0.5m, 1));

        // Beta holds nothing: its reduce-only order would close alpha's position.
        Assert.Equal("reduce", _ledger.TryReserve([Draft("beta", "SELL", 0.1m, reducing: true)], Cap(10m)));

        Assert.Null(_ledger.TryReserve([Draft("alpha", "SELL", 0.3m, reducing: true)], Cap(10m)));
        Assert.Equal("reduce", _ledger.TryReserve([Draft("alpha", "SELL", 0.3m, reducing: true)], Cap(10m)));
        Assert.Null(_ledger.TryReserve([Draft("alpha", "SELL", 0.2m, reducing: true)], Cap(10m)));
    }

    [Fact]
    public void Answers_MoveOrdersFromInFlightToOpenAndClosed_AndReleasedOrdersStopCounting()
    {
        var resting = Draft("alpha", "BUY", 0.4m);
        var rejected = Draft("alpha", "BUY", 0.5m);
        Assert.Null(_ledger.TryReserve([resting], Cap(1m)));
        Assert.Null(_ledger.TryReserve([rejected], Cap(1m)));
        _ledger.Release(rejected);
        _ledger.Observe(Account, Answer(resting, "NEW", 0m, 7));

        Assert.True(_ledger.Owns("alpha", Account, 7, algo: false));
        Assert.False(_ledger.Owns("beta", Account, 7, algo: false));
        Assert.Single(_ledger.OpenOrders("alpha"));

        // Cancelled after 0.1 filled: 0.1 stays as position, the rest is free again.
        _ledger.Observe(Account, Answer(resting, "CANCELED", 0.1m, 7));
        Assert.Empty(_ledger.OpenOrders("alpha"));
        Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.9m)], Cap(1m)));
        Assert.Equal("cap", _ledger.TryReserve([Draft("alpha", "BUY", 0.01m)], Cap(1m)));
    }

    private static JsonElement Listed(OwnedOrder order, string status, decimal executed, long orderId, DateTimeOffset updated) => JsonSerializer.SerializeToElement(new
    {
        orderId, symbol = order.Symbol, status, clientOrderId = order.ClientId, origQty = order.OrigQty.ToString(System.Globalization.CultureInfo.InvariantCulture),
        executedQty = executed.ToString(System.Globalization.CultureInfo.InvariantCulture), side = order.Side, positionSide = "BOTH", updateTime = updated.ToUnixTimeMilliseconds(),
    });

    [Fact]
    public void ClosedOrders_AreForgottenAfterTheirKeepingTime_TheirFillsStayInThePosition()
    {
        var filled = Draft("alpha", "BUY", 0.4m);
        var cancelled = Draft("alpha", "BUY", 0.3m);
        var resting = Draft("alpha", "SELL", 0.1m, reducing: true);
        Assert.Null(_ledger.TryReserve([filled, cancelled], Cap(1m)));
        _ledger.Observe(Account, Answer(filled, "FILLED", 0.4m, 1));
        _ledger.Observe(Account, Answer(cancelled, "CANCELED", 0m, 2));
        Assert.Null(_ledger.TryReserve([resting], Cap(1m)));
        _ledger.Observe(Account, Answer(resting, "NEW", 0m, 3));
        _ledger.LearnTrade(Account, 900, 1);

        // Kept while the exchange can still be asked about them.
        _time.Advance(OwnershipLedger.UnfilledKept - TimeSpan.FromMinutes(1));
        Assert.Equal(0, _ledger.ForgetExpired());
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, _ledger.ForgetExpired());
        Assert.False(_ledger.Owns("alpha", Account, 2, algo: false));
        Assert.True(_ledger.Owns("alpha", Account, 1, algo: false));
        Assert.True(_ledger.OwnsTrade("alpha", Account, 900));

        _time.Advance(OwnershipLedger.FilledKept);
        Assert.Equal(1, _ledger.ForgetExpired());
        Assert.False(_ledger.Owns("alpha", Account, 1, algo: false));
        Assert.Null(_ledger.OwnsTrade("alpha", Account, 900)); // the exchange no longer lists that trade either
        Assert.Equal(1, _ledger.Count); // an open order is never forgotten, however old
        Assert.True(_ledger.Owns("alpha", Account, 3, algo: false));

        // The forgotten fill still counts: the position, the cap and the reduce-only check see 0.4 long.
        Assert.Equal(0.4m, Assert.Single(_ledger.Positions()).Quantity);
        Assert.Null(_ledger.TryReserve([Draft("alpha", "BUY", 0.6m)], Cap(1m)));
        Assert.Equal("cap", _ledger.TryReserve([Draft("alpha", "BUY", 0.01m)], Cap(1m)));
        Assert.Equal("reduce", _ledger.TryReserve([Draft("alpha", "SELL", 0.31m, reducing: true)], Cap(1m))); // 0.1 already resting
    }

    [Fact]
    public void AForgottenOrderSeenAgain_IsNotAdoptedAgain_ARecentOneTheLedgerLacksIs()
    {
        var order = Draft("gamma", "BUY", 0.2m);
        Assert.Null(_ledger.TryReserve([order], Cap(1m)));
        _ledger.Observe(Account, Answer(order, "FILLED", 0.2m, 5));
        var filledAt = _time.GetUtcNow();
        _time.Advance(OwnershipLedger.FilledKept);
        Assert.Equal(1, _ledger.ForgetExpired());

        // A trade-history look-up lists it again, as the exchange still does for a while.
        string? Gamma(string tag) => tag == ClientIds.Tag("gamma") ? "gamma" : null;
        _ledger.Observe(Account, Listed(order, "FILLED", 0.2m, 5, filledAt), Gamma);
        Assert.Equal(0.2m, Assert.Single(_ledger.Positions()).Quantity);
        Assert.False(_ledger.Owns("gamma", Account, 5, algo: false));

        var missed = Draft("gamma", "BUY", 0.1m);
        _ledger.Observe(Account, Listed(missed, "FILLED", 0.1m, 6, _time.GetUtcNow().AddDays(-1)), Gamma);
        Assert.True(_ledger.Owns("gamma", Account, 6, algo: false));
        Assert.Equal(0.3m, Assert.Single(_ledger.Positions()).Quantity);
    }

    [Fact]
    public void AClientIdReusedAfterItsOrderClosed_StaysWithTheNewOrder_WhenTheOldOneIsForgotten()
    {
        var first = Draft("alpha", "BUY", 0.1m);
        Assert.Null(_ledger.TryReserve([first], Cap(1m)));
        _ledger.Observe(Account, Answer(first, "CANCELED", 0m, 1));

        // The exchange only wants client ids unique among open orders: the bot sends the same one again.
        var second = new OwnedOrder
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = first.ClientId, BotClientId = first.BotClientId, Side = "BUY", OrigQty = 0.2m,
        };
        Assert.Null(_ledger.TryReserve([second], Cap(1m)));
        _ledger.Observe(Account, Answer(second, "NEW", 0m, 2));

        _time.Advance(OwnershipLedger.UnfilledKept);
        Assert.Equal(1, _ledger.ForgetExpired());

        Assert.False(_ledger.Owns("alpha", Account, 1, algo: false));
        Assert.True(_ledger.Owns("alpha", Account, 2, algo: false));
        Assert.True(_ledger.Knows(Account, first.ClientId));
        Assert.Equal(first.ClientId, _ledger.ExchangeIdOf("alpha", Account, first.BotClientId, algo: false));
        Assert.Equal(0.2m, Assert.Single(_ledger.OpenOrders("alpha")).OrigQty);
    }

    [Fact]
    public void ATradeListedAgainAndAgain_IsForgottenFromItsFirstSighting()
    {
        var order = Draft("alpha", "BUY", 0.1m);
        Assert.Null(_ledger.TryReserve([order], Cap(1m)));
        _ledger.Observe(Account, Answer(order, "NEW", 0.05m, 1)); // partly filled and still open: never forgotten itself
        _ledger.LearnTrade(Account, 77, 1);
        _time.Advance(TimeSpan.FromDays(100));
        _ledger.LearnTrade(Account, 77, 1); // a bot polling its trade list sees it again

        _time.Advance(OwnershipLedger.FilledKept - TimeSpan.FromDays(100));
        _ledger.ForgetExpired();

        Assert.Null(_ledger.OwnsTrade("alpha", Account, 77));
        Assert.True(_ledger.Owns("alpha", Account, 1, algo: false));
    }

    [Fact]
    public void AnotherReplicasRowPastItsKeepingTime_IsNotMergedAgain()
    {
        var old = Draft("alpha", "BUY", 0.5m);
        old.State = OwnedOrderState.Closed;
        old.ExecutedQty = 0.5m;
        old.OrderId = 8;
        old.UpdatedAtMs = (_time.GetUtcNow() - OwnershipLedger.FilledKept).ToUnixTimeMilliseconds();
        var recent = Draft("alpha", "BUY", 0.25m);
        recent.State = OwnedOrderState.Closed;
        recent.ExecutedQty = 0.25m;
        recent.OrderId = 9;
        recent.UpdatedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();

        _ledger.Merge([old, recent]);

        Assert.False(_ledger.Owns("alpha", Account, 8, algo: false));
        Assert.Equal(0.25m, Assert.Single(_ledger.Positions()).Quantity);
    }

    [Fact]
    public void SettledFills_LoadedAtStart_CountInThePosition()
    {
        _ledger.LoadSettled([new BotPosition("alpha", Account, "BTCUSDT", "BOTH", 0.7m), new BotPosition("beta", Account, "BTCUSDT", "BOTH", -0.2m)]);

        Assert.Equal("cap", _ledger.TryReserve([Draft("alpha", "BUY", 0.31m)], Cap(1m)));
        Assert.Null(_ledger.TryReserve([Draft("beta", "SELL", 0.2m, reducing: false)], Cap(1m)));
        Assert.Equal([("alpha", 0.7m), ("beta", -0.2m)], _ledger.Positions().Select(p => (p.Bot, p.Quantity)).Order());
    }

    [Fact]
    public void ABotIdCarriedInTheExchangeId_IsReadBackFromIt_WhereverTheOrderIsSeen()
    {
        var order = Draft("alpha", "BUY", 0.1m);
        var botId = new string(order.BotClientId.AsSpan()); // the draft's own copy is dropped once the ledger holds it
        Assert.Null(_ledger.TryReserve([order], Cap(1m)));
        _ledger.Observe(Account, Answer(order, "NEW", 0m, 1));

        Assert.True(_ledger.Changes.TryRead(out var written));
        Assert.Equal(botId, written.BotClientId); // what the store gets
        Assert.Equal(botId, _ledger.FindByClientId(Account, order.ClientId, algo: false)!.BotClientId);
        Assert.Equal(botId, Assert.Single(_ledger.OpenOrders("alpha")).BotClientId);
        Assert.Equal(order.ClientId, _ledger.ExchangeIdOf("alpha", Account, botId, algo: false));
        Assert.Equal(botId, _ledger.BotIdOf("alpha", Account, order.ClientId, algo: false));
    }

    [Fact]
    public void BotIds_MapBackOnlyForTheirOwner()
    {
        var longId = new string('z', 30);
        var tag = ClientIds.Tag("alpha");
        var order = new OwnedOrder
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = ClientIds.Mapped(tag), BotClientId = longId, Side = "BUY", OrigQty = 1,
        };
        Assert.Null(_ledger.TryReserve([order], _ => null));

        Assert.Equal(order.ClientId, _ledger.ExchangeIdOf("alpha", Account, longId, algo: false));
        Assert.Equal(longId, _ledger.BotIdOf("alpha", Account, order.ClientId, algo: false));
        Assert.Null(_ledger.BotIdOf("beta", Account, order.ClientId, algo: false));
        Assert.Null(_ledger.ExchangeIdOf("beta", Account, longId, algo: false));
        Assert.Equal(ClientIds.Tag("beta") + ".short", _ledger.ExchangeIdOf("beta", Account, "short", algo: false));
    }

    [Fact]
    public void TaggedOrdersTheLedgerLacks_AreAdoptedForTheirBot()
    {
        var order = Draft("gamma", "SELL", 0.2m);

        _ledger.Observe(Account, Answer(order, "NEW", 0m, 42), tag => tag == ClientIds.Tag("gamma") ? "gamma" : null);

        Assert.True(_ledger.Owns("gamma", Account, 42, algo: false));
        Assert.Equal(order.BotClientId, Assert.Single(_ledger.OpenOrders("gamma")).BotClientId);
    }

    [Fact]
    public void AMappedOrderAdopted_TakesItsBotsIdFromTheSentRecords_WhetherTheyAreReadBeforeOrAfter()
    {
        var tag = ClientIds.Tag("alpha");
        var (before, after) = (new string('b', 30), new string('a', 30));
        var (early, late) = (ClientIds.Mapped(tag), ClientIds.Mapped(tag));
        string? BotForTag(string t) => t == tag ? "alpha" : null;

        _ledger.RememberBotIds([(Account, false, early, before)]);
        _ledger.Observe(Account, Resting(early, 1), BotForTag);
        _ledger.Observe(Account, Resting(late, 2), BotForTag); // adopted before its record was read: under its exchange id
        Assert.Equal(late, _ledger.ExchangeIdOf("alpha", Account, late, algo: false));
        while (_ledger.Changes.TryRead(out _))
        {
        }

        _ledger.RememberBotIds([(Account, false, late, after)]);

        Assert.Equal(early, _ledger.ExchangeIdOf("alpha", Account, before, algo: false));
        Assert.Equal(late, _ledger.ExchangeIdOf("alpha", Account, after, algo: false));
        Assert.Null(_ledger.ExchangeIdOf("alpha", Account, late, algo: false)); // the exchange id no longer stands for a bot id
        Assert.Equal([after, before], _ledger.OpenOrders("alpha").Select(o => o.BotClientId).Order()); // "aaa…" sorts first
        Assert.True(_ledger.Changes.TryRead(out var written)); // the store's row takes the bot's id too
        Assert.Equal((late, after), (written.ClientId, written.BotClientId));
    }

    [Fact]
    public void ATriggeredAlgoOrdersChild_AdoptedBeforeItsParent_TakesTheBotIdTheParentsSentRecordGave()
    {
        var tag = ClientIds.Tag("alpha");
        var (botId, clientId) = (new string('s', 30), ClientIds.Mapped(tag));

        _ledger.RememberBotIds([(Account, true, clientId, botId)]);
        _ledger.Observe(Account, Resting(clientId, 7, "SELL"), t => t == tag ? "alpha" : null);

        Assert.Equal(botId, Assert.Single(_ledger.OpenOrders("alpha")).BotClientId);
        Assert.Equal(clientId, _ledger.ExchangeIdOf("alpha", Account, botId, algo: false));
    }

    [Fact]
    public async Task ParallelReservations_NeverPassTheCapTogether()
    {
        // Random interleavings of 8 writers: whatever order they run in, the reserved total stays within the cap.
        for (var round = 0; round < 20; round++)
        {
            var ledger = new OwnershipLedger(new FakeTimeProvider(DateTimeOffset.UtcNow));
            var sizes = Enumerable.Range(0, 64).Select(i => ((i * 7919 + round * 104729) % 39 + 1) / 100m).ToArray();
            var accepted = new System.Collections.Concurrent.ConcurrentBag<decimal>();
            await Parallel.ForEachAsync(sizes.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (item, _) =>
            {
                var (size, i) = item;
                var batch = i % 3 == 0 ? new[] { Draft("alpha", "BUY", size / 2), Draft("alpha", "BUY", size / 2) } : [Draft("alpha", "BUY", size)];
                if (ledger.TryReserve(batch, Cap(2m)) is null)
                {
                    accepted.Add(size);
                }

                return ValueTask.CompletedTask;
            });

            Assert.True(accepted.Sum() <= 2m, $"round {round}: {accepted.Sum()} reserved past a cap of 2");
            Assert.True(accepted.Sum() > 1.5m, $"round {round}: only {accepted.Sum()} reserved");
        }
    }
}
