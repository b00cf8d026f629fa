using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Orders;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Orders;

/// <summary>The ownership ledger's rows survive a restart in either store, with the latest state of each order.</summary>
public abstract class OwnershipStoreContract : IAsyncLifetime
{
    private protected OwnershipStore _store = null!;

    internal abstract Task<OwnershipStore> CreateStoreAsync();

    /// <summary>The database's plan for rows updated since a time (the purge's and an upgrade's merge query), as text.</summary>
    protected abstract Task<string> PlanOfUpdatedSinceAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(CancellationToken.None);
        await _store.MigrateAsync(CancellationToken.None); // idempotent: every start runs it
    }

    public virtual async Task DisposeAsync() => await _store.DisposeAsync();

    private static OwnedOrder Order(string clientId, string group, OwnedOrderState state, long updatedAt, decimal executed = 0.000m, string bot = "alpha") => new()
    {
        Bot = bot, Account = ExchangeAccount.Of(TradingMode.Live, group), Symbol = "BTCUSDT", ClientId = clientId, BotClientId = "mine-" + clientId,
        Side = "SELL", PositionSide = "SHORT", Reducing = true, OrigQty = 1.5m, ExecutedQty = executed, OrderId = 42, State = state, UpdatedAtMs = updatedAt,
    };

    [Fact]
    public async Task Upsert_KeepsTheLatestState_AndLoadReturnsOpenOrdersAndRecentClosedOnes()
    {
        await _store.UpsertAsync([Order("a", "default", OwnedOrderState.Open, 1_000), Order("b", "mm", OwnedOrderState.Closed, 10), Order("d", "mm", OwnedOrderState.Closed, 10, executed: 1.5m)], 0, flush: true, CancellationToken.None);
        await _store.UpsertAsync([Order("a", "default", OwnedOrderState.Closed, 2_000, executed: 0.25m), Order("c", "mm", OwnedOrderState.InFlight, 20)], 0, flush: true, CancellationToken.None);

        var loaded = (await _store.LoadAsync(unfilledSinceMs: 500, filledSinceMs: 5, CancellationToken.None)).ToDictionary(o => o.ClientId);

        // "b" closed long ago with nothing executed is left out; "d" filled, and filled orders are kept longer.
        Assert.Equal(["a", "c", "d"], loaded.Keys.Order());
        var a = loaded["a"];
        Assert.Equal((OwnedOrderState.Closed, 0.25m, 1.5m, 42L, "mine-a"), (a.State, a.ExecutedQty, a.OrigQty, a.OrderId!.Value, a.BotClientId));
        Assert.Equal((ExchangeAccount.Of(TradingMode.Live, "default"), "SELL", "SHORT", true), (a.Account, a.Side, a.PositionSide, a.Reducing));

        // In flight when the gateway stopped: it may exist, so it comes back as unknown (counted as open).
        Assert.Equal(OwnedOrderState.Unknown, loaded["c"].State);
    }

    [Fact]
    public async Task AnOrderAdoptedUnderItsExchangeId_TakesItsBotsIdOnTheNextWrite()
    {
        var adopted = Order("t2abcde:9f", "default", OwnedOrderState.Open, 1_000);
        await _store.UpsertAsync([new OwnedOrder { Bot = adopted.Bot, Account = adopted.Account, Symbol = adopted.Symbol, ClientId = adopted.ClientId, BotClientId = adopted.ClientId, Side = adopted.Side, State = adopted.State, UpdatedAtMs = 1_000 }], 0, flush: true, CancellationToken.None);
        await _store.UpsertAsync([adopted], 0, flush: true, CancellationToken.None); // its bot's id, from its sent record

        Assert.Equal("mine-t2abcde:9f", Assert.Single(await _store.LoadAsync(unfilledSinceMs: 500, filledSinceMs: 5, CancellationToken.None)).BotClientId);
    }

    [Fact]
    public async Task EveryWrite_MarksTheTimeBeforeWhichEveryChangeIsWritten_InItsOwnTransaction()
    {
        Assert.Null(await _store.CommittedThroughAsync(CancellationToken.None));

        await _store.UpsertAsync([Order("a", "default", OwnedOrderState.Open, 1_000)], 5_000, flush: false, CancellationToken.None);
        Assert.Equal(5_000, await _store.CommittedThroughAsync(CancellationToken.None));

        // Nothing new but the mark (a flush after an idle second): it moves on all the same.
        await _store.UpsertAsync([], 7_000, flush: true, CancellationToken.None);
        Assert.Equal(7_000, await _store.CommittedThroughAsync(CancellationToken.None));

        // A write that fails takes its mark with it: the mark never claims changes that are not there.
        var broken = Order("y", "default", OwnedOrderState.Open, 1_000, bot: null!); // the column is NOT NULL
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _store.UpsertAsync([broken], 9_000, flush: false, CancellationToken.None));
        Assert.Equal(7_000, await _store.CommittedThroughAsync(CancellationToken.None));

        // And the next write goes through (SQLite: on a fresh connection, the failed one closed).
        await _store.UpsertAsync([Order("z", "default", OwnedOrderState.Open, 1_000)], 9_500, flush: false, CancellationToken.None);
        Assert.Equal(9_500, await _store.CommittedThroughAsync(CancellationToken.None));
        Assert.Equal(["a", "z"], (await _store.LoadAsync(0, 0, CancellationToken.None)).Select(o => o.ClientId).Order());
    }

    [Fact]
    public async Task ClosedOrdersThatExecutedNothing_ArePurgedPastTheirKeepTime_EverythingElseStays()
    {
        await _store.UpsertAsync(
        [
            Order("canceled-old", "default", OwnedOrderState.Closed, 10), Order("canceled-recent", "default", OwnedOrderState.Closed, 2_000),
            Order("filled-old", "default", OwnedOrderState.Closed, 10, executed: 0.5m), Order("open-old", "default", OwnedOrderState.Open, 10),
            Order("unknown-old", "default", OwnedOrderState.Unknown, 10), Order("inflight-old", "default", OwnedOrderState.InFlight, 10),
        ], 0, flush: true, CancellationToken.None);

        Assert.Equal(1, await _store.PurgeAsync(unfilledBeforeMs: 1_000, CancellationToken.None));
        Assert.Equal(0, await _store.PurgeAsync(unfilledBeforeMs: 1_000, CancellationToken.None));

        // Everything but the old canceled order is still there, the old fill still summed at a start.
        var left = await _store.LoadAsync(0, 0, CancellationToken.None);
        Assert.Equal(["canceled-recent", "filled-old", "inflight-old", "open-old", "unknown-old"], left.Select(o => o.ClientId).Order());
        Assert.Equal(-0.5m, Assert.Single(await _store.LoadSettledAsync(filledSinceMs: 1_000, CancellationToken.None)).Quantity);
    }

    [Fact]
    public async Task RowsByUpdateTime_AreFoundThroughAnIndex_NotByReadingTheWholeTable()
    {
        await _store.UpsertAsync([Order("a", "default", OwnedOrderState.Open, 1_000)], 0, flush: true, CancellationToken.None);

        Assert.Contains("gateway_orders_updated_at", await PlanOfUpdatedSinceAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteWithOneBadRow_StoresNoneOfIt()
    {
        var broken = Order("y", "default", OwnedOrderState.Open, 1_000, bot: null!); // the column is NOT NULL

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _store.UpsertAsync([Order("x", "default", OwnedOrderState.Open, 1_000), broken], 0, flush: true, CancellationToken.None));

        Assert.Empty(await _store.LoadAsync(unfilledSinceMs: 0, filledSinceMs: 0, CancellationToken.None));
    }

    [Fact]
    public async Task FillsOfOrdersClosedLongAgo_LoadAsSumsPerBotAndPosition_NotAsOrders()
    {
        OwnedOrder Filled(string id, string bot, string side, decimal executed, long updatedAt, OwnedOrderState state = OwnedOrderState.Closed)
        {
            var o = Order(id, "default", state, updatedAt, executed, bot);
            return new OwnedOrder
            {
                Bot = o.Bot, Account = o.Account, Symbol = o.Symbol, ClientId = o.ClientId, BotClientId = o.BotClientId, Side = side, PositionSide = o.PositionSide,
                Reducing = false, OrigQty = 2m, ExecutedQty = executed, OrderId = o.OrderId, State = state, UpdatedAtMs = updatedAt,
            };
        }

        await _store.UpsertAsync(
        [
            Filled("old-buy", "alpha", "BUY", 1.25m, 10), Filled("old-sell", "alpha", "SELL", 0.5m, 20), Filled("old-beta", "beta", "SELL", 0.75m, 30),
            Filled("old-unfilled", "alpha", "BUY", 0m, 40), Filled("old-open", "alpha", "BUY", 0.5m, 50, OwnedOrderState.Open), Filled("recent", "alpha", "BUY", 1m, 2_000),
        ], 0, flush: true, CancellationToken.None);

        var settled = (await _store.LoadSettledAsync(filledSinceMs: 1_000, CancellationToken.None)).OrderBy(p => p.Bot).ToList();
        var loaded = await _store.LoadAsync(unfilledSinceMs: 1_000, filledSinceMs: 1_000, CancellationToken.None);

        Assert.Equal([("alpha", 0.75m), ("beta", -0.75m)], settled.Select(p => (p.Bot, p.Quantity)));
        Assert.Equal(("BTCUSDT", "SHORT", ExchangeAccount.Of(TradingMode.Live, "default")), (settled[0].Symbol, settled[0].PositionSide, settled[0].Account));

        // Each fill exactly once: as an order (still open, or recent) or in the sums.
        Assert.Equal(["old-open", "recent"], loaded.Select(o => o.ClientId).Order());
    }

    /// <summary>A closed order that filled <paramref name="executed"/> on <paramref name="side"/>, last changed at <paramref name="updatedAt"/>.</summary>
    private protected static OwnedOrder Fill(string id, string bot, string side, decimal executed, long updatedAt, string symbol = "BTCUSDT", OwnedOrderState state = OwnedOrderState.Closed) => new()
    {
        Bot = bot, Account = ExchangeAccount.Of(TradingMode.Live, "default"), Symbol = symbol, ClientId = id, BotClientId = id, Side = side, PositionSide = "BOTH",
        OrigQty = 5m, ExecutedQty = executed, OrderId = 7, State = state, UpdatedAtMs = updatedAt,
    };

    private protected async Task<Dictionary<(string, string), decimal>> SettledAsync(long filledSinceMs = 1_000) =>
        (await _store.LoadSettledAsync(filledSinceMs, CancellationToken.None)).ToDictionary(p => (p.Bot, p.Symbol), p => p.Quantity);

    private Task<int> Fold(int limit = 2) => _store.FoldSettledAsync(filledBeforeMs: 500, limit, CancellationToken.None);

    [Fact]
    public async Task FillsPastTheFoldTime_MoveIntoSettledSums_AndAStartSumsExactlyWhatItDidBefore()
    {
        await _store.UpsertAsync(
        [
            Fill("a1", "alpha", "BUY", 0.1m, 10), Fill("a2", "alpha", "BUY", 0.2m, 11), Fill("a3", "alpha", "SELL", 0.05m, 12),
            Fill("a4", "alpha", "BUY", 3m, 13, symbol: "ETHUSDT"), Fill("b1", "beta", "SELL", 0.75m, 14), Fill("b2", "beta", "BUY", 0.75m, 15),
            Fill("open-old", "alpha", "BUY", 0.5m, 16, state: OwnedOrderState.Open), Fill("unfilled-old", "alpha", "BUY", 0m, 17),
            Fill("after-the-fold", "alpha", "BUY", 1m, 600), Fill("recent", "alpha", "BUY", 2m, 2_000),
        ], 0, flush: true, CancellationToken.None);
        var before = await SettledAsync();

        // Two rows per transaction: the sums carry over from one to the next.
        var folds = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            folds.Add(await Fold());
        }

        Assert.Equal([2, 2, 2, 0], folds);

        // Exact decimals, not floating sums (0.1 + 0.2 - 0.05); beta's fills cancel out and leave no share.
        Assert.Equal(new Dictionary<(string, string), decimal> { [("alpha", "BTCUSDT")] = 1.25m, [("alpha", "ETHUSDT")] = 3m }, before);
        Assert.Equal(before, await SettledAsync());

        // Only what was folded left the orders: open, unfilled (the purge's), newer and recent rows stay.
        var left = await _store.LoadAsync(0, 0, CancellationToken.None);
        Assert.Equal(["after-the-fold", "open-old", "recent", "unfilled-old"], left.Select(o => o.ClientId).Order());
    }

    [Fact]
    public async Task ALaterFold_AddsToTheSumsAlreadySettled()
    {
        await _store.UpsertAsync([Fill("a1", "alpha", "BUY", 1.5m, 10), Fill("b1", "beta", "SELL", 0.5m, 10)], 0, flush: true, CancellationToken.None);
        Assert.Equal(2, await Fold(limit: 100));

        await _store.UpsertAsync([Fill("a2", "alpha", "SELL", 0.25m, 300), Fill("b2", "beta", "SELL", 0.5m, 300)], 0, flush: true, CancellationToken.None);
        Assert.Equal(2, await Fold(limit: 100));

        Assert.Equal(new Dictionary<(string, string), decimal> { [("alpha", "BTCUSDT")] = 1.25m, [("beta", "BTCUSDT")] = -1m }, await SettledAsync());
        Assert.Empty(await _store.LoadAsync(0, 0, CancellationToken.None));
    }
}

public sealed class SqliteOwnershipStoreTests : OwnershipStoreContract
{
    private readonly string _dir = TempDirectory.Create("tf-own");

    internal override Task<OwnershipStore> CreateStoreAsync() => Task.FromResult(OwnershipStore.Create(new AuditOptions(), new GatewayPaths(_dir)));

    protected override async Task<string> PlanOfUpdatedSinceAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + new GatewayPaths(_dir).OrdersDatabaseFile + ";Pooling=False");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM gateway_orders WHERE updated_at >= 500";
        await using var reader = await explain.ExecuteReaderAsync();
        var plan = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }
}

/// <summary>The SQLite ledger has its own file, apart from the audit trail's (one writer per SQLite file).</summary>
public sealed class SqliteOwnershipFileTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-own-file");

    [Fact]
    public async Task RowsKeptInTheAuditDatabaseByEarlierVersions_MoveToTheLedgersOwnFile_Once()
    {
        var paths = new GatewayPaths(_dir);
        Directory.CreateDirectory(Path.GetDirectoryName(paths.AuditDatabaseFile)!);
        await using (var former = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + paths.AuditDatabaseFile + ";Pooling=False"))
        {
            await former.OpenAsync();
            await using var command = former.CreateCommand();
            command.CommandText = """
                CREATE TABLE audit_events (sequence INTEGER PRIMARY KEY);
                CREATE TABLE gateway_orders (
                    account_mode TEXT NOT NULL, account_group TEXT NOT NULL, algo INTEGER NOT NULL, client_id TEXT NOT NULL,
                    bot TEXT NOT NULL, symbol TEXT NOT NULL, bot_client_id TEXT NOT NULL, side TEXT NOT NULL, position_side TEXT NOT NULL,
                    reducing INTEGER NOT NULL, orig_qty TEXT NOT NULL, executed_qty TEXT NOT NULL, order_id BIGINT NULL, state TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (account_mode, account_group, algo, client_id));
                INSERT INTO gateway_orders VALUES ('live', 'default', 0, 'tabc.1', 'alpha', 'BTCUSDT', '1', 'BUY', 'BOTH', 0, '1', '0', 7, 'Open', 5);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = OwnershipStore.Create(new AuditOptions(), paths))
        {
            await store.MigrateAsync(CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None); // every start runs it: nothing left to move
            var loaded = Assert.Single(await store.LoadAsync(0, 0, CancellationToken.None));
            Assert.Equal(("tabc.1", "alpha", OwnedOrderState.Open, 7L), (loaded.ClientId, loaded.Bot, loaded.State, loaded.OrderId!.Value));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.True(File.Exists(paths.OrdersDatabaseFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(paths.OrdersDatabaseFile)); // owner-only, like the data dir
        }

        await using var audit = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + paths.AuditDatabaseFile + ";Pooling=False");
        await audit.OpenAsync();
        await using var tables = audit.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
        Assert.Equal("audit_events", await tables.ExecuteScalarAsync()); // the audit trail itself is untouched
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOwnershipStoreTests(PostgresFixture postgres) : OwnershipStoreContract
{
    private string _database = "";

    internal override async Task<OwnershipStore> CreateStoreAsync()
    {
        _database = await postgres.Server.CreateDatabaseAsync();
        return OwnershipStore.Create(new AuditOptions { Store = AuditStoreKind.Postgres, ConnectionString = _database }, new GatewayPaths(Path.GetTempPath()));
    }

    private OwnershipStore _replica = null!;

    public override async Task DisposeAsync()
    {
        foreach (var store in new[] { _replica, _other }.Where(s => s is not null))
        {
            await store.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>A row as another writer (an uncommitted transaction, an earlier version without the id) puts it.</summary>
    private static async Task WriteRawAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction? transaction, string clientId, bool withTransactionId, long updatedAt)
    {
        await using var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO gateway_orders (account_mode, account_group, algo, client_id, bot, symbol, bot_client_id, side, position_side, reducing, orig_qty, executed_qty, order_id, state, updated_at, written_xid) "
            + $"VALUES ('live', 'default', 0, @c, 'alpha', 'BTCUSDT', @c, 'BUY', 'BOTH', 0, '1', '0', NULL, 'Open', @u, {(withTransactionId ? "pg_current_xact_id()::text::bigint" : "NULL")})",
            connection, transaction);
        insert.Parameters.AddWithValue("@c", clientId);
        insert.Parameters.AddWithValue("@u", updatedAt);
        await insert.ExecuteNonQueryAsync();
    }

    private static OwnedOrder Open(string clientId) => new()
    {
        Bot = "alpha", Account = ExchangeAccount.Of(TradingMode.Live, "default"), Symbol = "BTCUSDT", ClientId = clientId, BotClientId = clientId,
        Side = "BUY", OrigQty = 1m, State = OwnedOrderState.Open, UpdatedAtMs = 1_000,
    };

    private OwnershipStore _other = null!;

    private async Task<ChangeCursor> ReplicaCaughtUpAsync()
    {
        _replica = OwnershipStore.Create(new AuditOptions(), new GatewayPaths(Path.GetTempPath()), clusterPostgres: _database);
        _other = OwnershipStore.Create(new AuditOptions(), new GatewayPaths(Path.GetTempPath()), clusterPostgres: _database);
        await _replica.MigrateAsync(CancellationToken.None);
        var (_, cursor) = await _replica.ReadChangesAsync(new ChangeCursor(null, 0), CancellationToken.None);
        return cursor;
    }

    [Fact]
    public async Task AFold_WaitsWhileAnotherReplicaFolds_SoNoSumIsWrittenOverAnother()
    {
        await _store.UpsertAsync([Fill("a1", "alpha", "BUY", 1.5m, 10), Fill("a2", "alpha", "SELL", 0.5m, 20)], 0, flush: true, CancellationToken.None);
        await ReplicaCaughtUpAsync();

        // Another replica mid-fold: it holds the fold's lock until its transaction ends. Without the lock, two folds
        // could read the same settled sum, each add its own rows and write, and the first one's rows would be lost.
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var folding = await connection.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_xact_lock({OwnershipStore.FoldLockKey})", connection, folding))
        {
            await take.ExecuteNonQueryAsync();
        }

        var fold = _replica.FoldSettledAsync(filledBeforeMs: 500, limit: 100, CancellationToken.None);
        await Task.Delay(500);
        Assert.False(fold.IsCompleted);

        await folding.CommitAsync();
        Assert.Equal(2, await fold);
        Assert.Equal(1m, (await SettledAsync())[("alpha", "BTCUSDT")]);
    }

    [Fact]
    public async Task ReplicasWritingTheSharedLedger_LeaveNoMark_OneCouldNotSpeakForTheOthersWrites()
    {
        await ReplicaCaughtUpAsync();
        await _replica.UpsertAsync([Open("mine")], 5_000, flush: true, CancellationToken.None);

        Assert.Null(await _replica.CommittedThroughAsync(CancellationToken.None));
        Assert.Null(await _store.CommittedThroughAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AReplica_ReadsEachChangeOfTheOthersOnce_NotAgainOnEveryRead_AndNotItsOwn()
    {
        var cursor = await ReplicaCaughtUpAsync();
        await _other.UpsertAsync([Open("a"), Open("b")], 0, flush: true, CancellationToken.None);
        await _replica.UpsertAsync([Open("mine")], 0, flush: true, CancellationToken.None);

        var (first, next) = await _replica.ReadChangesAsync(cursor, CancellationToken.None);
        var (second, afterThat) = await _replica.ReadChangesAsync(next, CancellationToken.None);
        await _other.UpsertAsync([Open("c")], 0, flush: true, CancellationToken.None);
        var (third, _) = await _replica.ReadChangesAsync(afterThat, CancellationToken.None);

        Assert.Equal(["a", "b"], first.Select(o => o.ClientId).Order());
        Assert.Empty(second);
        Assert.Equal("c", Assert.Single(third).ClientId);
    }

    [Fact]
    public async Task AReplica_ReadsAChangeWhoseTransactionCommittedAfterALaterOnes()
    {
        var cursor = await ReplicaCaughtUpAsync();
        await using var slow = new Npgsql.NpgsqlConnection(_database);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await WriteRawAsync(slow, transaction, "slow", withTransactionId: true, updatedAt: 1_000); // begun first, commits last
        await _other.UpsertAsync([Open("quick")], 0, flush: true, CancellationToken.None);

        var (before, next) = await _replica.ReadChangesAsync(cursor, CancellationToken.None);
        await transaction.CommitAsync();
        var (after, _) = await _replica.ReadChangesAsync(next, CancellationToken.None);

        Assert.Equal("quick", Assert.Single(before).ClientId);
        Assert.Contains("slow", after.Select(o => o.ClientId));
    }

    [Fact]
    public async Task AReplica_ReadsWhatAnEarlierVersionWrites_ItsOwnRowsIncluded_AndRowsFromBeforeTheIdByTime()
    {
        await using var earlier = new Npgsql.NpgsqlConnection(_database);
        await earlier.OpenAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Rows from before the transaction id existed (its column added to an old table): read by their time. (The
        // contract's store created the table, the columns and the trigger at start.)
        await using (var drop = new Npgsql.NpgsqlCommand("ALTER TABLE gateway_orders DISABLE TRIGGER gateway_orders_stamp", earlier))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await WriteRawAsync(earlier, null, "before-recent", withTransactionId: false, updatedAt: now);
        await WriteRawAsync(earlier, null, "before-old", withTransactionId: false, updatedAt: now - 60_000);
        await using (var restore = new Npgsql.NpgsqlCommand("ALTER TABLE gateway_orders ENABLE TRIGGER gateway_orders_stamp", earlier))
        {
            await restore.ExecuteNonQueryAsync();
        }

        var cursor = await ReplicaCaughtUpAsync();
        await _replica.UpsertAsync([Open("mine")], 0, flush: true, CancellationToken.None);
        var (_, afterMine) = await _replica.ReadChangesAsync(cursor, CancellationToken.None);

        // An earlier version's replica, during a rolling upgrade, writes neither the id nor its name: a row of its own,
        // and an update to this replica's row.
        await WriteRawAsync(earlier, null, "theirs", withTransactionId: false, updatedAt: now - 60_000);
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE gateway_orders SET state = 'Closed', executed_qty = '1' WHERE client_id = 'mine'", earlier))
        {
            await update.ExecuteNonQueryAsync();
        }

        var (rows, _) = await _replica.ReadChangesAsync(afterMine, CancellationToken.None);
        var (first, _) = await _replica.ReadChangesAsync(new ChangeCursor(null, now), CancellationToken.None);

        // (A row from before the id, updated within the last few seconds, is read again while it is that recent.)
        Assert.Equal(["mine", "theirs"], rows.Select(o => o.ClientId).Where(id => !id.StartsWith("before", StringComparison.Ordinal)).Order());
        Assert.Equal(OwnedOrderState.Closed, rows.Single(o => o.ClientId == "mine").State);
        Assert.Contains("before-recent", first.Select(o => o.ClientId));
        Assert.DoesNotContain("before-old", first.Select(o => o.ClientId));
    }

    protected override async Task<string> PlanOfUpdatedSinceAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();

        // A table of a few rows is read whole whichever way; what matters is that an index on the time exists to be used.
        await using (var noScan = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noScan.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN SELECT * FROM gateway_orders WHERE updated_at >= 500", connection);
        await using var reader = await explain.ExecuteReaderAsync();
        var plan = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }
}
