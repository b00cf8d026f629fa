using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The zero-config store: one SQLite file in the data dir, WAL; commits synced when the writer asks (orders, checkpoints).
/// Appends go through one connection kept open with its INSERT and its transaction's statements prepared: the audit writer,
/// under its lock, is their only caller, one batch at a time, and at low rates every batch is a single row, so opening a
/// connection, running its pragmas and preparing the statements per batch cost more than the row itself.
/// Queries, migrations, flushes and log copies use pooled connections.
/// The INSERT is bound by position straight from the event's strings (SQLite converts UTF-16 itself): Microsoft.Data.Sqlite's
/// parameters allocate a binder per value, box the numbers and copy every string to UTF-8 first.
/// </summary>
internal sealed class SqliteAuditStore(string path) : SqlAuditStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    // In the order of Columns, as Insert binds them.
    private static readonly string InsertSql = $"INSERT INTO audit_events ({Columns}) VALUES ({string.Join(", ", Enumerable.Repeat("?", Columns.Split(',').Length))})";

    // 16 MiB of page cache (default 2 MiB) keeps the index pages the writer touches in memory instead of re-reading them
    // from the file on every batch; it is only filled as pages are used. 64 MiB was no faster (refusals benchmark, 1.1 M
    // rows: within run-to-run noise) and cost ≈ 30 MB of resident memory after load.
    private const string CachePragma = " PRAGMA cache_size=-16384;";
    private SqliteConnection? _writer;
    private sqlite3_stmt? _insert;
    private SqliteTransactions? _transactions;

    public override string Name => "sqlite";

    protected override string BigIntType => "INTEGER";

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await base.MigrateAsync(cancellationToken).ConfigureAwait(false);
        // The database and its write-ahead log and shared-memory files hold the audit trail: owner-only, like the
        // rest of the data dir (SQLite creates the last two with the process's default mode).
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            SecureFiles.TightenFile(file);
        }
    }

    protected override ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbConnection>(SqliteConnections.Open(_connectionString, CachePragma));
    }

    public override Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        AppendAsTask(events, flush: true, cancellationToken);

    public override Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        AppendAsTask(events, flush: false, cancellationToken);

    private Task AppendAsTask(IReadOnlyList<AuditEvent> events, bool flush, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            Append(events, flush);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// One transaction per batch, synchronous (SQLite's work is local; Microsoft.Data.Sqlite's async methods run
    /// synchronously too). In WAL mode with synchronous=NORMAL a commit is appended to the log without an fsync; it
    /// stays after a crash of the process, and reaches the disk with the next synchronous=FULL commit (the log is one
    /// file, synced up to its end) or a checkpoint (SQLite, "PRAGMA synchronous": the log is synced before each checkpoint).
    /// </summary>
    private void Append(IReadOnlyList<AuditEvent> events, bool flush)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            var insert = PreparedInsert();
            _transactions!.Begin(flush);
            foreach (var e in events)
            {
                Insert(_writer!.Handle!, insert, e);
            }

            _transactions.Commit();
        }
        catch
        {
            // The file may be gone, full or locked: the next batch starts from a fresh connection.
            CloseWriter();
            throw;
        }
    }

    private sqlite3_stmt PreparedInsert()
    {
        if (_insert is not null)
        {
            return _insert;
        }

        // No automatic checkpoint in a commit: SQLite runs it inside the commit that takes the log past 1,000 pages,
        // and an order's answer may be waiting for that commit (its sent record). The audit writer copies the log
        // itself (CheckpointLogAsync), on a connection of its own, off every commit's path.
        _writer = SqliteConnections.Open(_connectionString, CachePragma + " PRAGMA wal_autocheckpoint=0;");
        _transactions = new(_writer);
        return _insert = SqliteTransactions.Prepare(_writer.Handle!, InsertSql);
    }

    private static void Insert(sqlite3 database, sqlite3_stmt insert, AuditEvent e)
    {
        Span<char> eventId = stackalloc char[36];
        e.EventId.TryFormat(eventId, out _, "D");
        Check(raw.sqlite3_bind_int64(insert, 1, e.Sequence));
        Check(raw.sqlite3_bind_text16(insert, 2, eventId));
        Check(raw.sqlite3_bind_int64(insert, 3, e.OccurredAtMs));
        Text(4, e.Type);
        Text(5, e.Bot);
        Text(6, e.Endpoint);
        Text(7, e.Outcome);
        Text(8, e.Details);
        Text(9, e.PrevHash);
        Text(10, e.Hash);
        SqliteTransactions.Step(database, insert);

        void Text(int index, string? value) =>
            Check(value is null ? raw.sqlite3_bind_null(insert, index) : raw.sqlite3_bind_text16(insert, index, value.AsSpan()));

        void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, database);
    }

    private void CloseWriter()
    {
        // Finalized before its connection closes (a connection with a live statement stays open until it is).
        _insert?.Dispose();
        _transactions?.Dispose();
        _writer?.Dispose();
        (_insert, _writer, _transactions) = (null, null, null);
    }

    /// <summary>A full checkpoint: the log synced and copied into the database file, which is synced in turn.</summary>
    public override Task<bool> FlushAsync(CancellationToken cancellationToken) => CheckpointAsync("FULL", cancellationToken);

    /// <summary>A passive checkpoint, as SQLite's automatic one: as much of the log as no reader still needs, writers not blocked.</summary>
    public override Task<bool> CheckpointLogAsync(CancellationToken cancellationToken) => CheckpointAsync("PASSIVE", cancellationToken);

    private async Task<bool> CheckpointAsync(string mode, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // One row: busy (1 if a reader or writer kept it from completing), frames in the log, frames checkpointed.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2);
    }

    public override ValueTask DisposeAsync()
    {
        CloseWriter();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
