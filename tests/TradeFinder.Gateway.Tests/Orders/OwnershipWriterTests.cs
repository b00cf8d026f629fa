using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Orders;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Orders;

/// <summary>The ledger's writer keeps the store as small as the ledger: what the ledger forgot, the store deletes.</summary>
public sealed class OwnershipWriterTests : IAsyncLifetime
{
    private static readonly ExchangeAccount Account = ExchangeAccount.Of(TradingMode.Paper, null);
    private readonly string _dir = TempDirectory.Create("tf-own-writer");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly GatewayMetrics _metrics = new();
    private OwnershipStore _store = null!;
    private OwnershipLedger _ledger = null!;
    private OwnershipWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _store = OwnershipStore.Create(new AuditOptions(), new GatewayPaths(_dir));
        await _store.MigrateAsync(CancellationToken.None);
        _ledger = new OwnershipLedger(_time);
        _writer = new OwnershipWriter(_ledger, _store, _time, Options.Create(new AuditOptions()), _metrics, NullLogger<OwnershipWriter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        _metrics.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }

    private OwnedOrder Canceled(string clientId, TimeSpan ago) => new()
    {
        Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = clientId, BotClientId = clientId, Side = "BUY", OrigQty = 1m,
        State = OwnedOrderState.Closed, UpdatedAtMs = (_time.GetUtcNow() - ago).ToUnixTimeMilliseconds(),
    };

    /// <summary>An order placed through the ledger, which the writer then writes; returns once the store has it.</summary>
    private async Task PlaceAndWaitForTheWriteAsync()
    {
        var botId = ClientIds.NewBotId();
        var draft = new OwnedOrder
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = ClientIds.Direct(ClientIds.Tag("alpha"), botId)!, BotClientId = botId, Side = "BUY", OrigQty = 1m,
        };
        Assert.Null(_ledger.TryReserve([draft], _ => null));
        await WaitUntilAsync(async () => (await _store.LoadAsync(0, 0, CancellationToken.None)).Any(o => o.ClientId == draft.ClientId));
    }

    private async Task<string[]> CanceledInStoreAsync() =>
        [.. (await _store.LoadAsync(0, 0, CancellationToken.None)).Where(o => o.State == OwnedOrderState.Closed).Select(o => o.ClientId).Order()];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10); // a real-time bound on the background writer, not a measured figure
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer did not get there in time");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task AfterAWrite_ClosedOrdersThatExecutedNothing_LeaveTheStorePastTheirKeepTime_AtMostHourly()
    {
        var kept = OwnershipLedger.UnfilledKept;
        await _store.UpsertAsync([Canceled("old", kept + TimeSpan.FromMinutes(1)), Canceled("young", kept - TimeSpan.FromMinutes(30))], 0, flush: true, CancellationToken.None);
        await _writer.StartAsync(CancellationToken.None);

        await PlaceAndWaitForTheWriteAsync();
        await WaitUntilAsync(async () => !(await CanceledInStoreAsync()).Contains("old"));
        Assert.Equal(["young"], await CanceledInStoreAsync());

        // Past its keep time a little less than an hour later, but the next purge is due only after an hour. (The second
        // write comes after the first one's purge would have: the writer does one thing at a time.)
        _time.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromSeconds(1));
        await PlaceAndWaitForTheWriteAsync();
        await PlaceAndWaitForTheWriteAsync();
        Assert.Equal(["young"], await CanceledInStoreAsync());

        _time.Advance(TimeSpan.FromSeconds(1));
        await PlaceAndWaitForTheWriteAsync();
        await WaitUntilAsync(async () => (await CanceledInStoreAsync()).Length == 0);
    }

    [Fact]
    public async Task AStart_TakesTheWindowWhoseChangesMayBeLost_FromTheStoresMark_AndEveryWriteMovesTheMarkOn()
    {
        var stopped = _time.GetUtcNow() - TimeSpan.FromMinutes(3);
        await _store.UpsertAsync([], stopped.ToUnixTimeMilliseconds(), flush: true, CancellationToken.None);

        await _writer.StartAsync(CancellationToken.None);
        Assert.Equal((stopped.ToUnixTimeMilliseconds(), _time.GetUtcNow().ToUnixTimeMilliseconds()), _ledger.PossiblyLost);

        _time.Advance(TimeSpan.FromSeconds(5));
        await PlaceAndWaitForTheWriteAsync();
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), await _store.CommittedThroughAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AReservationMadeInARequest_IsWrittenWhenTheRequestIsDone_NotOnTheOrdersWayOut()
    {
        await _writer.StartAsync(CancellationToken.None);
        await PlaceAndWaitForTheWriteAsync(); // the writer is running, and idle again
        var botId = ClientIds.NewBotId();
        var draft = new OwnedOrder
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = ClientIds.Direct(ClientIds.Tag("alpha"), botId)!, BotClientId = botId, Side = "BUY", OrigQty = 1m,
        };
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = RequestAsync();

        // While the order is out, the writer has not been woken for its reservation (it would have written it by now).
        await Task.Delay(300);
        Assert.DoesNotContain(await _store.LoadAsync(0, 0, CancellationToken.None), o => o.ClientId == draft.ClientId);

        answered.SetResult();
        await request;
        await WaitUntilAsync(async () => (await _store.LoadAsync(0, 0, CancellationToken.None)).Any(o => o.ClientId == draft.ClientId));

        async Task RequestAsync()
        {
            using var hold = _ledger.HoldWakes();
            Assert.Null(_ledger.TryReserve([draft], _ => null));
            await answered.Task;
        }
    }

    [Fact]
    public async Task AWriteLeftUnflushed_IsFlushedASecondAfterTheLastFlush_ThoughNothingElseChanges()
    {
        await _writer.StartAsync(CancellationToken.None);
        await PlaceAndWaitForTheWriteAsync(); // the first write is flushed
        var first = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await PlaceAndWaitForTheWriteAsync(); // within the second: committed, not flushed
        Assert.Equal(first.AddMilliseconds(400).ToUnixTimeMilliseconds(), await _store.CommittedThroughAsync(CancellationToken.None));

        // The writer wakes when the flush is due and writes the mark alone, flushed: it moves on with no change to write.
        _time.Advance(TimeSpan.FromMilliseconds(600));
        await WaitUntilAsync(async () => await _store.CommittedThroughAsync(CancellationToken.None) == first.AddSeconds(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task AFailedWrite_IsKept_AndTriedAgainAfterTheRetryDelay_NotAtEachNewChange()
    {
        var failures = new FailureLog();
        _writer.Dispose();
        _writer = new OwnershipWriter(_ledger, _store, _time, Options.Create(new AuditOptions()), _metrics, failures);
        await _writer.StartAsync(CancellationToken.None);
        await PlaceAndWaitForTheWriteAsync(); // the writer is running, and idle again

        // The store breaks under the writer (its table gone): the next change's write fails.
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={new GatewayPaths(_dir).OrdersDatabaseFile}"))
        {
            await other.OpenAsync();
            await using var drop = other.CreateCommand();
            drop.CommandText = "DROP TABLE gateway_orders";
            await drop.ExecuteNonQueryAsync();
        }

        var kept = Reserve();
        await failures.First.WaitAsync(TimeSpan.FromSeconds(10));
        await _store.MigrateAsync(CancellationToken.None); // back, but the writer waits out its retry delay first

        // A change while it waits does not cut the wait short (a down database is not hammered once per order).
        var later = Reserve();
        await Task.Delay(300);
        Assert.Equal(1, failures.Count);
        Assert.Empty(await _store.LoadAsync(0, 0, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(new AuditOptions().RetrySeconds));
        await WaitUntilAsync(async () => (await _store.LoadAsync(0, 0, CancellationToken.None)).Count == 2);
        Assert.Equal(new[] { kept, later }.Order(StringComparer.Ordinal), (await _store.LoadAsync(0, 0, CancellationToken.None)).Select(o => o.ClientId).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, failures.Count);

        string Reserve()
        {
            var botId = ClientIds.NewBotId();
            var draft = new OwnedOrder
            {
                Bot = "beta", Account = Account, Symbol = "BTCUSDT", ClientId = ClientIds.Direct(ClientIds.Tag("beta"), botId)!, BotClientId = botId, Side = "BUY", OrigQty = 1m,
            };
            Assert.Null(_ledger.TryReserve([draft], _ => null));
            return draft.ClientId;
        }
    }

    /// <summary>Counts the writer's logged store failures; the first one completes <see cref="First"/>.</summary>
    private sealed class FailureLog : ILogger<OwnershipWriter>
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public Task First => _first.Task;

        public int Count => Volatile.Read(ref _count);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "OwnershipStoreFailed")
            {
                Interlocked.Increment(ref _count);
                _first.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task AfterAWrite_FilledOrdersPastTheFoldTime_BecomeTheirBotsSettledSum_WhichTheNextStartLoads()
    {
        OwnedOrder Filled(string clientId, TimeSpan ago, string side) => new()
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = clientId, BotClientId = clientId, Side = side, OrigQty = 1m, ExecutedQty = 0.25m,
            State = OwnedOrderState.Closed, UpdatedAtMs = (_time.GetUtcNow() - ago).ToUnixTimeMilliseconds(),
        };
        var fold = OwnershipWriter.FoldedAfter;
        await _store.UpsertAsync(
            [Filled("folded", fold + TimeSpan.FromMinutes(1), "BUY"), Filled("not-yet", fold - TimeSpan.FromHours(1), "BUY"), Filled("recent", TimeSpan.FromDays(1), "SELL")],
            0, flush: true, CancellationToken.None);
        await _writer.StartAsync(CancellationToken.None);

        await PlaceAndWaitForTheWriteAsync();
        await WaitUntilAsync(async () => !(await CanceledInStoreAsync()).Contains("folded"));
        Assert.Equal(["not-yet", "recent"], await CanceledInStoreAsync());

        // A start (a new ledger from the same store) counts every fill once: two settled, one as the order it still is.
        var restarted = new OwnershipLedger(_time);
        using var writer = new OwnershipWriter(restarted, _store, _time, Options.Create(new AuditOptions()), _metrics, NullLogger<OwnershipWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var position = Assert.Single(restarted.Positions());
        Assert.Equal(("alpha", "BTCUSDT", 0.25m), (position.Bot, position.Symbol, position.Quantity));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ALongHistory_IsFoldedOneBatchPerWrite_UntilNoneIsLeft()
    {
        var longAgo = (_time.GetUtcNow() - OwnershipWriter.FoldedAfter - TimeSpan.FromDays(1)).ToUnixTimeMilliseconds();
        await _store.UpsertAsync([.. Enumerable.Range(0, OwnershipWriter.FoldBatch + 1).Select(i => new OwnedOrder
        {
            Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = "old-" + i, BotClientId = "old-" + i, Side = "BUY", OrigQty = 1m, ExecutedQty = 0.001m,
            State = OwnedOrderState.Closed, UpdatedAtMs = longAgo + i,
        })], 0, flush: true, CancellationToken.None);
        async Task<int> OldRowsAsync() => (await _store.LoadAsync(0, 0, CancellationToken.None)).Count(o => o.ClientId.StartsWith("old-", StringComparison.Ordinal));
        await _writer.StartAsync(CancellationToken.None);

        await PlaceAndWaitForTheWriteAsync();
        await WaitUntilAsync(async () => await OldRowsAsync() == 1);

        // The fold goes on after the next write, not an hour later with the next purge.
        await PlaceAndWaitForTheWriteAsync();
        await WaitUntilAsync(async () => await OldRowsAsync() == 0);
        Assert.Equal(10.001m, Assert.Single(await _store.LoadSettledAsync(0, CancellationToken.None)).Quantity);
    }
}
