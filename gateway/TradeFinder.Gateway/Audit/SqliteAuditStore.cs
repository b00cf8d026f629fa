using System.Data.Common;
using Microsoft.Data.Sqlite;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The zero-config store: one SQLite file in the data dir, WAL; commits synced when the writer asks (orders, checkpoints).
/// Appends go through one connection kept open with its INSERT prepared: the audit writer is their only caller, one batch
/// at a time, and at low rates every batch is a single row, so opening a connection, running its pragmas and preparing
/// the statement per batch cost more than the row itself. Queries, migrations and flushes use pooled connections.
/// </summary>
internal sealed class SqliteAuditStore(string path) : SqlAuditStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    // In the order of Columns, as AppendAsync sets them.
    private static readonly string[] InsertParameters = ["@s", "@id", "@t", "@type", "@bot", "@ep", "@out", "@d", "@p", "@h"];
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private bool? _synchronousFull;

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

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var pragma = connection.CreateCommand();

        // 16 MiB of page cache (default 2 MiB) keeps the index pages the writer touches in memory instead of
        // re-reading them from the file on every batch; it is only filled as pages are used. 64 MiB was no faster
        // (refusals benchmark, 1.1 M rows: within run-to-run noise) and cost ≈ 30 MB of resident memory after load.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA cache_size=-16384;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        AppendAsync(events, flush: true, cancellationToken);

    public override Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        AppendAsync(events, flush: false, cancellationToken);

    /// <summary>
    /// One transaction per batch. In WAL mode with synchronous=NORMAL a commit is appended to the log without an fsync; it
    /// stays after a crash of the process, and reaches the disk with the next synchronous=FULL commit (the log is one
    /// file, synced up to its end) or a checkpoint (SQLite, "PRAGMA synchronous": the log is synced before each checkpoint).
    /// </summary>
    private async Task AppendAsync(IReadOnlyList<AuditEvent> events, bool flush, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            var insert = await InsertAsync(cancellationToken).ConfigureAwait(false);
            if (_synchronousFull != flush)
            {
                await using var pragma = _writer!.CreateCommand();
                pragma.CommandText = flush ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _synchronousFull = flush;
            }

            await using var transaction = await _writer!.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            insert.Transaction = (SqliteTransaction)transaction;
            var p = insert.Parameters;
            foreach (var e in events)
            {
                p[0].Value = e.Sequence;
                p[1].Value = e.EventId.ToString("D");
                p[2].Value = e.OccurredAtMs;
                p[3].Value = e.Type;
                p[4].Value = (object?)e.Bot ?? DBNull.Value;
                p[5].Value = (object?)e.Endpoint ?? DBNull.Value;
                p[6].Value = e.Outcome;
                p[7].Value = e.Details;
                p[8].Value = e.PrevHash;
                p[9].Value = e.Hash;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The file may be gone, full or locked: the next batch starts from a fresh connection.
            await CloseWriterAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<SqliteCommand> InsertAsync(CancellationToken cancellationToken)
    {
        if (_insert is not null)
        {
            return _insert;
        }

        _writer = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
        _synchronousFull = true; // as OpenAsync leaves it
        var insert = _writer.CreateCommand();
        insert.CommandText = $"INSERT INTO audit_events ({Columns}) VALUES ({string.Join(", ", InsertParameters)})";
        foreach (var name in InsertParameters)
        {
            insert.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        await insert.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return _insert = insert;
    }

    private async ValueTask CloseWriterAsync()
    {
        if (_insert is not null)
        {
            await _insert.DisposeAsync().ConfigureAwait(false);
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        (_insert, _writer, _synchronousFull) = (null, null, null);
    }

    /// <summary>A full checkpoint: the log synced and copied into the database file, which is synced in turn.</summary>
    public override async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // One row: busy (1 if a reader or writer kept it from completing), frames in the log, frames checkpointed.
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseWriterAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }
}
