using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// The ownership ledger's rows, in their own SQLite file in the data dir (by default), or in the audit store's
/// PostgreSQL when the audit goes there, or, for replicas, in the cluster's PostgreSQL, where each write is announced (NOTIFY in the
/// same transaction) so the other replicas merge it (<see cref="OwnershipSync"/>). Portable SQL: the same statements run
/// on both.
/// </summary>
internal sealed class OwnershipStore : IAsyncDisposable
{
    // pg_advisory_xact_lock's one bigint key space is the database's: a fixed value that reads "TFSETTLE".
    internal const long FoldLockKey = 0x5446534554544C45;

    private const string Columns = "account_mode, account_group, algo, client_id, bot, symbol, bot_client_id, side, position_side, reducing, orig_qty, executed_qty, order_id, state, updated_at";
    public const string Channel = "tf_orders";
    private const string Values = "@m, @g, @a, @c, @b, @s, @bc, @side, @ps, @r, @oq, @eq, @oid, @st, @u";
    private const string OnConflict = """
        ON CONFLICT (account_mode, account_group, algo, client_id) DO UPDATE SET
            orig_qty = excluded.orig_qty, executed_qty = excluded.executed_qty, order_id = excluded.order_id,
            state = excluded.state, updated_at = excluded.updated_at, bot_client_id = excluded.bot_client_id
        """;

    private const string Upsert = $"INSERT INTO gateway_orders ({Columns}) VALUES ({Values}) {OnConflict}";

    // One row: every ledger change queued before this time is committed (written in the same transaction as those changes).
    private const string Mark = "INSERT INTO gateway_ledger_mark (id, committed_through) VALUES (1, @through) "
        + "ON CONFLICT (id) DO UPDATE SET committed_through = excluded.committed_through";

    // PostgreSQL also stamps each row with the writing transaction's id and the replica that wrote it, which is what
    // replicas read changes by (ReadChangesAsync). A fresh id in the statement is also what tells the trigger (below) that
    // the writer named itself.
    private const string UpsertPostgres = $"INSERT INTO gateway_orders ({Columns}, written_xid, written_by) VALUES ({Values}, pg_current_xact_id()::text::bigint, @by) "
        + $"{OnConflict}, written_xid = excluded.written_xid, written_by = excluded.written_by";

    private readonly Func<CancellationToken, ValueTask<DbConnection>> _open;
    private readonly NpgsqlDataSource? _postgres;
    private SqliteWriter? _sqliteWriter;

    // The SQLite ledger's file and where earlier versions kept its rows (the audit database); null on PostgreSQL.
    private readonly (string File, string Former)? _sqlite;

    private OwnershipStore(Func<CancellationToken, ValueTask<DbConnection>> open, NpgsqlDataSource? postgres, string? announceAs = null, (string, string)? sqlite = null)
    {
        _open = open;
        _postgres = postgres;
        AnnounceAs = announceAs;
        _sqlite = sqlite;
    }

    /// <summary>For replicas: the name this one signs its NOTIFY with (so it skips its own); null otherwise.</summary>
    public string? AnnounceAs { get; }

    /// <summary>The cluster's PostgreSQL, for the listener; null when the ledger is not shared.</summary>
    public NpgsqlDataSource? SharedSource => AnnounceAs is null ? null : _postgres;

    public static OwnershipStore Create(AuditOptions options, GatewayPaths paths, string? clusterPostgres = null)
    {
        if (clusterPostgres is not null)
        {
            var shared = NpgsqlDataSource.Create(clusterPostgres);
            return new OwnershipStore(async ct => await shared.OpenConnectionAsync(ct).ConfigureAwait(false), shared,
                System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true));
        }

        if (options.Store == AuditStoreKind.Postgres)
        {
            var source = NpgsqlDataSource.Create(options.ConnectionString!);
            return new OwnershipStore(async ct => await source.OpenConnectionAsync(ct).ConfigureAwait(false), source);
        }

        // The file's directory once, here, not on every open: the ledger opens a pooled connection per operation.
        var file = paths.OrdersDatabaseFile;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
        return new OwnershipStore(ct =>
        {
            ct.ThrowIfCancellationRequested();
            return ValueTask.FromResult<DbConnection>(SqliteConnections.Open(connectionString));
        }, null, sqlite: (file, paths.AuditDatabaseFile));
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await PostgresSchema.EnsureAsync(connection, """
            CREATE TABLE IF NOT EXISTS gateway_orders (
                account_mode TEXT NOT NULL, account_group TEXT NOT NULL, algo INTEGER NOT NULL, client_id TEXT NOT NULL,
                bot TEXT NOT NULL, symbol TEXT NOT NULL, bot_client_id TEXT NOT NULL, side TEXT NOT NULL, position_side TEXT NOT NULL,
                reducing INTEGER NOT NULL, orig_qty TEXT NOT NULL, executed_qty TEXT NOT NULL, order_id BIGINT NULL, state TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (account_mode, account_group, algo, client_id));
            CREATE INDEX IF NOT EXISTS gateway_orders_updated_at ON gateway_orders (updated_at);
            CREATE TABLE IF NOT EXISTS gateway_ledger_mark (id INTEGER PRIMARY KEY, committed_through BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS gateway_settled (
                account_mode TEXT NOT NULL, account_group TEXT NOT NULL, bot TEXT NOT NULL, symbol TEXT NOT NULL, position_side TEXT NOT NULL,
                quantity TEXT NOT NULL,
                PRIMARY KEY (account_mode, account_group, bot, symbol, position_side))
            """, cancellationToken).ConfigureAwait(false);
        if (_postgres is not null)
        {
            // Added to tables created by earlier versions too; rows they wrote before keep a null id and are read by time.
            // The trigger stamps every write with its transaction, also those of a replica still running an earlier
            // version during a rolling upgrade (which sets neither column): such a write is nobody's own, so every
            // replica reads it, including the one whose row it changed.
            await PostgresSchema.EnsureAsync(connection, """
                ALTER TABLE gateway_orders ADD COLUMN IF NOT EXISTS written_xid BIGINT;
                ALTER TABLE gateway_orders ADD COLUMN IF NOT EXISTS written_by TEXT;
                CREATE INDEX IF NOT EXISTS gateway_orders_written_xid ON gateway_orders (written_xid);
                CREATE OR REPLACE FUNCTION gateway_orders_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.written_xid IS NULL OR (TG_OP = 'UPDATE' AND NEW.written_xid IS NOT DISTINCT FROM OLD.written_xid) THEN
                        NEW.written_by := NULL;
                    END IF;
                    NEW.written_xid := pg_current_xact_id()::text::bigint;
                    RETURN NEW;
                END $$;
                CREATE OR REPLACE TRIGGER gateway_orders_stamp BEFORE INSERT OR UPDATE ON gateway_orders
                    FOR EACH ROW EXECUTE FUNCTION gateway_orders_stamp()
                """, cancellationToken).ConfigureAwait(false);
        }

        if (_sqlite is var (file, former))
        {
            // Owner-only, like the rest of the data dir: once at start, not on every write's connection.
            foreach (var written in new[] { file, file + "-wal", file + "-shm" })
            {
                SecureFiles.TightenFile(written);
            }

            await MoveFromFormerFileAsync(connection, former, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Earlier versions kept the ledger in the audit database's file: its rows move here once, copied first and then
    /// dropped there, so a failure in between leaves them in both (the next start finishes the move), never in neither.
    /// </summary>
    private static async Task MoveFromFormerFileAsync(DbConnection connection, string former, CancellationToken cancellationToken)
    {
        if (!File.Exists(former))
        {
            return;
        }

        await using var attach = connection.CreateCommand();
        attach.CommandText = "ATTACH DATABASE @former AS former";
        Add(attach, "@former", former);
        await attach.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM former.sqlite_master WHERE type = 'table' AND name = 'gateway_orders'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }

            await using (var copy = connection.CreateCommand())
            {
                // Rows already here are newer than the former file's (written after the move began): kept.
                copy.CommandText = $"INSERT OR IGNORE INTO gateway_orders ({Columns}) SELECT {Columns} FROM former.gateway_orders";
                await copy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE former.gateway_orders";
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await using var detach = connection.CreateCommand();
            detach.CommandText = "DETACH DATABASE former";
            await detach.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Inserts or updates the rows in one transaction, with the mark that every change queued before
    /// <paramref name="committedThroughMs"/> is in it or in an earlier one (<see cref="CommittedThroughAsync"/>).
    /// SQLite: <paramref name="flush"/> false commits to the write-ahead log without waiting for the disk (kept if the
    /// process dies; a power cut may lose it, and with it the mark, back to the last flushed commit — SQLite, "PRAGMA
    /// synchronous", WAL mode); the next flushed commit or checkpoint syncs the log up to its end, these commits with it.
    /// PostgreSQL commits as it is configured to.
    /// </summary>
    public async Task UpsertAsync(IReadOnlyCollection<OwnedOrder> orders, long committedThroughMs, bool flush, CancellationToken cancellationToken)
    {
        if (orders.Count == 0 && SharedSource is not null)
        {
            return; // no mark on the shared ledger, and nothing to announce to the other replicas
        }

        if (_postgres is not null)
        {
            await using var connection = await _open(cancellationToken).ConfigureAwait(false);
            await UpsertBatchAsync((NpgsqlConnection)connection, orders, committedThroughMs, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var writer = await SqliteWriterAsync(cancellationToken).ConfigureAwait(false);
            writer.Transactions.Begin(flush); // SQLite's work is local and synchronous either way
            foreach (var o in orders)
            {
                writer.Upsert.Parameters.Clear();
                AddRow(writer.Upsert.Parameters, writer.Upsert.CreateParameter, o);
                await writer.Upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            writer.Mark.Parameters.Clear();
            Add(writer.Mark, "@through", committedThroughMs);
            await writer.Mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            writer.Transactions.Commit();
        }
        catch
        {
            // The file may be gone, full or locked: the next write starts from a fresh connection.
            await CloseSqliteWriterAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// SQLite: the writer's own connection, kept open with its two statements prepared, rather than a pooled connection
    /// (its directory made, three pragmas run) and two statements prepared per write: unflushed, that was most of a write's
    /// time (docs/PERFORMANCE.md). Only the ledger's writer writes rows, one write at a time, so one connection serves it.
    /// </summary>
    private async Task<SqliteWriter> SqliteWriterAsync(CancellationToken cancellationToken)
    {
        if (_sqliteWriter is { } open)
        {
            return open;
        }

        var connection = (SqliteConnection)await _open(cancellationToken).ConfigureAwait(false);
        try
        {
            var transactions = new SqliteTransactions(connection);
            var upsert = connection.CreateCommand();
            upsert.CommandText = Upsert;
            var mark = connection.CreateCommand();
            mark.CommandText = Mark;
            return _sqliteWriter = new SqliteWriter(connection, upsert, mark, transactions);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask CloseSqliteWriterAsync()
    {
        if (_sqliteWriter is { } writer)
        {
            _sqliteWriter = null;
            await writer.Upsert.DisposeAsync().ConfigureAwait(false);
            await writer.Mark.DisposeAsync().ConfigureAwait(false);
            writer.Transactions.Dispose();
            await writer.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The SQLite writer's connection, its prepared statements, and its transactions (whether their commits wait for the disk).</summary>
    private sealed class SqliteWriter(SqliteConnection connection, SqliteCommand upsert, SqliteCommand mark, SqliteTransactions transactions)
    {
        public SqliteConnection Connection { get; } = connection;

        public SqliteCommand Upsert { get; } = upsert;

        public SqliteCommand Mark { get; } = mark;

        public SqliteTransactions Transactions { get; } = transactions;
    }

    /// <summary>
    /// The time before which every ledger change was committed, as the last surviving write marked it; null if nothing
    /// was ever marked, or if the ledger is the replicas' shared one (one mark could not speak for every replica's writes).
    /// </summary>
    public async Task<long?> CommittedThroughAsync(CancellationToken cancellationToken)
    {
        if (SharedSource is not null)
        {
            return null;
        }

        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT committed_through FROM gateway_ledger_mark WHERE id = 1";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } value and not DBNull
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// PostgreSQL: the rows and the announcement in one batch, one round trip (a transaction of its own, begun, written
    /// and committed, was three plus one per row): a batch runs as one implicit transaction, so the rows land together
    /// and the NOTIFY is delivered at its commit, as before.
    /// </summary>
    private async Task UpsertBatchAsync(NpgsqlConnection connection, IReadOnlyCollection<OwnedOrder> orders, long committedThroughMs, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        foreach (var o in orders)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = UpsertPostgres;
            AddRow(command.Parameters, command.CreateParameter, o);
            Add(command.Parameters, command.CreateParameter, "@by", AnnounceAs);
            batch.BatchCommands.Add(command);
        }

        if (SharedSource is null)
        {
            var mark = batch.CreateBatchCommand();
            mark.CommandText = Mark;
            Add(mark.Parameters, mark.CreateParameter, "@through", committedThroughMs);
            batch.BatchCommands.Add(mark);
        }

        if (AnnounceAs is not null)
        {
            var notify = batch.CreateBatchCommand();
            notify.CommandText = "SELECT pg_notify(@channel, @replica)";
            Add(notify.Parameters, notify.CreateParameter, "@channel", Channel);
            Add(notify.Parameters, notify.CreateParameter, "@replica", AnnounceAs);
            batch.BatchCommands.Add(notify);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddRow(DbParameterCollection parameters, Func<DbParameter> create, OwnedOrder o)
    {
        void Add(string name, object? value) => OwnershipStore.Add(parameters, create, name, value);
        Add("@m", o.Account.Mode.ToConfigValue());
        Add("@g", o.Account.Group);
        Add("@a", o.Algo ? 1 : 0);
        Add("@c", o.ClientId);
        Add("@b", o.Bot);
        Add("@s", o.Symbol);
        Add("@bc", o.BotClientId);
        Add("@side", o.Side);
        Add("@ps", o.PositionSide);
        Add("@r", o.Reducing ? 1 : 0);
        Add("@oq", o.OrigQty.ToString(CultureInfo.InvariantCulture));
        Add("@eq", o.ExecutedQty == 0 ? "0" : o.ExecutedQty.ToString(CultureInfo.InvariantCulture)); // "0" exactly: the load filter compares text
        Add("@oid", o.OrderId);
        Add("@st", o.State.ToString());
        Add("@u", o.UpdatedAtMs);
    }

    /// <summary>
    /// Every order still open, and the closed ones still kept (<see cref="OwnershipLedger.UnfilledKept"/>,
    /// <see cref="OwnershipLedger.FilledKept"/>): those that executed nothing updated since <paramref name="unfilledSinceMs"/>,
    /// those that did since <paramref name="filledSinceMs"/>.
    /// </summary>
    public Task<IReadOnlyList<OwnedOrder>> LoadAsync(long unfilledSinceMs, long filledSinceMs, CancellationToken cancellationToken) =>
        ReadAsync("state <> 'Closed' OR (executed_qty = '0' AND updated_at >= @since) OR (executed_qty <> '0' AND updated_at >= @filledSince)",
            [("@since", unfilledSinceMs), ("@filledSince", filledSinceMs)], restarting: true, cancellationToken);

    /// <summary>
    /// The fills of the closed orders not loaded (executed something, updated before <paramref name="filledSinceMs"/>) and
    /// those already folded into <c>gateway_settled</c> (<see cref="FoldSettledAsync"/>), summed per bot and position as
    /// they are read. One statement, so one snapshot: a fold committing meanwhile is seen whole or not at all, never a
    /// fill in both places or in neither.
    /// </summary>
    public async Task<IReadOnlyList<BotPosition>> LoadSettledAsync(long filledSinceMs, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_mode, account_group, bot, symbol, position_side, side, executed_qty FROM gateway_orders "
            + "WHERE state = 'Closed' AND executed_qty <> '0' AND updated_at < @since "
            + "UNION ALL SELECT account_mode, account_group, bot, symbol, position_side, 'BUY', quantity FROM gateway_settled";
        Add(command, "@since", filledSinceMs);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var (sums, _) = await SumAsync(reader, cancellationToken).ConfigureAwait(false);
        var positions = new List<BotPosition>(sums.Count);
        foreach (var (key, quantity) in sums)
        {
            if (quantity != 0 && TradingModes.TryParse(key.Mode, out var mode))
            {
                positions.Add(new BotPosition(key.Bot, new ExchangeAccount(mode, key.Group), key.Symbol, key.PositionSide, quantity));
            }
        }

        return positions;
    }

    /// <summary>
    /// Signed fills (+ BUY, − SELL) per bot and position from rows of mode, group, bot, symbol, position side, side,
    /// quantity; keyed by the stored text, so that a fold keeps even a row this version cannot read (a start skips it).
    /// </summary>
    private static async Task<(Dictionary<PositionKey, decimal> Sums, int Rows)> SumAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<PositionKey, decimal>();
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            var key = new PositionKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            var executed = decimal.Parse(reader.GetString(6), CultureInfo.InvariantCulture);
            sums[key] = sums.GetValueOrDefault(key) + (reader.GetString(5) == "SELL" ? -executed : executed);
        }

        return (sums, rows);
    }

    /// <summary>
    /// Moves the fills of up to <paramref name="limit"/> closed orders last changed before <paramref name="filledBeforeMs"/>
    /// into one running sum per bot and position (<c>gateway_settled</c>) and deletes their rows, in one transaction;
    /// returns the rows folded. Without this the table, and every start's pass over it (≈ 2 s per million such orders
    /// here), grows with every order that ever filled. The rows are deleted first and what the delete returned is summed,
    /// under the write lock (SQLite's, or on PostgreSQL an advisory lock the replicas share), so no two folds write one
    /// sum over the other.
    /// </summary>
    public async Task<int> FoldSettledAsync(long filledBeforeMs, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        DbCommand Command(string text)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = text;
            return command;
        }

        await PostgresSchema.LockAsync(transaction, FoldLockKey, cancellationToken).ConfigureAwait(false);

        Dictionary<PositionKey, decimal> sums;
        int rows;
        await using (var delete = Command("""
            DELETE FROM gateway_orders WHERE (account_mode, account_group, algo, client_id) IN (
                SELECT account_mode, account_group, algo, client_id FROM gateway_orders
                WHERE state = 'Closed' AND executed_qty <> '0' AND updated_at < @before LIMIT @limit)
            RETURNING account_mode, account_group, bot, symbol, position_side, side, executed_qty
            """))
        {
            Add(delete, "@before", filledBeforeMs);
            Add(delete, "@limit", limit);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            (sums, rows) = await SumAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (key, quantity) in sums)
        {
            await using var read = Command("SELECT quantity FROM gateway_settled WHERE account_mode = @m AND account_group = @g AND bot = @b AND symbol = @s AND position_side = @ps");
            AddKey(read, key);
            var before = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string text
                ? decimal.Parse(text, CultureInfo.InvariantCulture)
                : 0m;
            await using var write = Command("""
                INSERT INTO gateway_settled (account_mode, account_group, bot, symbol, position_side, quantity) VALUES (@m, @g, @b, @s, @ps, @q)
                ON CONFLICT (account_mode, account_group, bot, symbol, position_side) DO UPDATE SET quantity = excluded.quantity
                """);
            AddKey(write, key);
            Add(write, "@q", (before + quantity).ToString(CultureInfo.InvariantCulture));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static void AddKey(DbCommand command, PositionKey key)
    {
        Add(command, "@m", key.Mode);
        Add(command, "@g", key.Group);
        Add(command, "@b", key.Bot);
        Add(command, "@s", key.Symbol);
        Add(command, "@ps", key.PositionSide);
    }

    /// <summary>
    /// Deletes the rows of closed orders that executed nothing and have not changed since <paramref name="unfilledBeforeMs"/>:
    /// no start loads them and no sum needs them, so without this the table (and every start's scan of it) grows with every
    /// order ever canceled. Filled orders stay: their fills are summed at each start. Returns the rows deleted.
    /// </summary>
    public async Task<int> PurgeAsync(long unfilledBeforeMs, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM gateway_orders WHERE updated_at < @before AND state = 'Closed' AND executed_qty = '0'";
        Add(command, "@before", unfilledBeforeMs);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For replicas (PostgreSQL): the rows the other replicas committed since <paramref name="cursor"/>, each read once
    /// rather than again on every read within a time window (this replica's own are in its ledger already). A row carries
    /// its writing transaction's id; a read first takes the oldest transaction still running (the snapshot's xmin,
    /// PostgreSQL "Transaction ID and Snapshot Information Functions"), then reads rows from the previous read's: everything
    /// older was committed before this read and is in it, everything newer is read again next time. So a transaction that
    /// commits late is not missed, whatever the replicas' clocks say. Rows last written before the id existed are read by
    /// time: updated since the cursor's time, less a few seconds for clocks that differ. Both through an index: a replica
    /// reads on every other replica's write, and a scan of the whole table cost ≈ 70–90 ms at a million rows here.
    /// </summary>
    public async Task<(IReadOnlyList<OwnedOrder> Rows, ChangeCursor Next)> ReadChangesAsync(ChangeCursor cursor, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var batch = ((NpgsqlConnection)connection).CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint"));
        var rows = new NpgsqlBatchCommand($"SELECT {Columns} FROM gateway_orders WHERE "
            + (cursor.Transaction is null ? "updated_at >= @since" : "(written_xid >= @xid AND written_by IS DISTINCT FROM @me) OR (written_xid IS NULL AND updated_at >= @since)"));
        rows.Parameters.AddWithValue("@since", cursor.SinceMs - ChangeCursor.ClockSlackMs);
        rows.Parameters.AddWithValue("@xid", cursor.Transaction ?? 0);
        rows.Parameters.AddWithValue("@me", AnnounceAs ?? "");
        batch.BatchCommands.Add(rows);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var next = new ChangeCursor(reader.GetInt64(0), reader.GetInt64(1));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return (await RowsAsync(reader, restarting: false, cancellationToken).ConfigureAwait(false), next);
    }

    private async Task<IReadOnlyList<OwnedOrder>> ReadAsync(string where, (string Name, long Value)[] parameters, bool restarting, CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM gateway_orders WHERE {where}";
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await RowsAsync(reader, restarting, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<OwnedOrder>> RowsAsync(DbDataReader reader, bool restarting, CancellationToken cancellationToken)
    {
        var orders = new List<OwnedOrder>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!TradingModes.TryParse(reader.GetString(0), out var mode) || !Enum.TryParse<OwnedOrderState>(reader.GetString(13), out var state))
            {
                continue;
            }

            orders.Add(new OwnedOrder
            {
                Account = new ExchangeAccount(mode, OrderStrings.Of(reader.GetString(1))),
                Algo = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture) != 0,
                ClientId = reader.GetString(3),
                Bot = OrderStrings.Of(reader.GetString(4)),
                Symbol = OrderStrings.Of(reader.GetString(5)),
                BotClientId = reader.GetString(6),
                Side = OrderStrings.Of(reader.GetString(7)),
                PositionSide = OrderStrings.Of(reader.GetString(8)),
                Reducing = Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture) != 0,
                OrigQty = decimal.Parse(reader.GetString(10), CultureInfo.InvariantCulture),
                ExecutedQty = decimal.Parse(reader.GetString(11), CultureInfo.InvariantCulture),
                OrderId = reader.IsDBNull(12) ? null : reader.GetInt64(12),

                // An order that was in flight when the gateway stopped may exist: counted as open until settled.
                State = restarting && state == OwnedOrderState.InFlight ? OwnedOrderState.Unknown : state,
                UpdatedAtMs = reader.GetInt64(14),
            });
        }

        return orders;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseSqliteWriterAsync().ConfigureAwait(false);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One bot's share of a position as stored: account mode and group, bot, symbol, position side.</summary>
    private readonly record struct PositionKey(string Mode, string Group, string Bot, string Symbol, string PositionSide);

    private static void Add(DbCommand command, string name, object? value) => Add(command.Parameters, command.CreateParameter, name, value);

    private static void Add(DbParameterCollection parameters, Func<DbParameter> create, string name, object? value)
    {
        var parameter = create();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
    }
}

/// <summary>
/// Where a replica's last read of the shared ledger ended: the oldest transaction that was still running then (null before
/// the first read, which goes by time) and the database's clock at that read.
/// </summary>
internal sealed record ChangeCursor(long? Transaction, long SinceMs)
{
    /// <summary>Rows without a transaction id are stamped by their writer's clock, which may differ from the database's by this much.</summary>
    public const long ClockSlackMs = 5_000;
}
