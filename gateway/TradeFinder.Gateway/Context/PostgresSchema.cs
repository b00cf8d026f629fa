using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Schema statements on a PostgreSQL that several replicas start against at once. "CREATE TABLE IF NOT EXISTS" is not
/// safe under concurrency in PostgreSQL: two sessions may both find no table, and the loser fails on the catalog
/// (23505, 42P07 or 42710 "type already exists"). Each statement runs in a transaction holding one advisory lock,
/// so replicas take turns and the second finds the table.
/// </summary>
internal static class PostgresSchema
{
    // pg_advisory_xact_lock's one bigint key space is the database's: a fixed value that reads "TFSCHEMA".
    private const long LockKey = 0x5446534348454D41;

    public static void Ensure(NpgsqlConnection connection, string statement)
    {
        using var transaction = connection.BeginTransaction();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
        {
            take.Parameters.AddWithValue(LockKey);
            take.ExecuteNonQuery();
        }

        using (var run = new NpgsqlCommand(statement, connection, transaction))
        {
            run.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>On PostgreSQL under the lock; on SQLite (one process) as it is.</summary>
    public static async Task EnsureAsync(DbConnection connection, string statement, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAsync(transaction, LockKey, cancellationToken).ConfigureAwait(false);
        await using (var run = connection.CreateCommand())
        {
            run.Transaction = transaction;
            run.CommandText = statement;
            await run.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes PostgreSQL's transaction-level advisory lock <paramref name="key"/> (held until the transaction ends), so that
    /// replicas doing the same work take turns; on SQLite nothing, since its transaction already holds the file's one write
    /// lock (begun IMMEDIATE, the provider's default).
    /// </summary>
    public static async Task LockAsync(DbTransaction transaction, long key, CancellationToken cancellationToken)
    {
        // Asked of SQLite, the other store, so that a single process never loads the PostgreSQL driver.
        if (transaction.Connection is SqliteConnection or null)
        {
            return;
        }

        await using var take = transaction.Connection.CreateCommand();
        take.Transaction = transaction;
        take.CommandText = $"SELECT pg_advisory_xact_lock({key.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
