using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// A SQLite writer connection's transactions, and whether their commits wait for the disk: <c>FULL</c> syncs the
/// write-ahead log at each commit, <c>NORMAL</c> only appends to it (SQLite, "PRAGMA synchronous", WAL mode). The pragma
/// is a statement of its own, so it runs only when a transaction asks for the other mode. <c>BEGIN IMMEDIATE</c> and
/// <c>COMMIT</c> are prepared once and stepped per transaction: Microsoft.Data.Sqlite's transaction object parses both
/// again every time and builds a command for each, which at a low rate (one row per commit, two commits per order) cost
/// about as much as the row (docs/PERFORMANCE.md). One per connection, starting as <see cref="SqliteConnections"/> opens
/// it (<c>FULL</c>, with its busy timeout, which SQLite applies to the prepared statements too); a connection opened
/// again starts a new one, and this is disposed of before the connection (<see cref="Dispose"/>). The connection's own
/// transaction API is not used beside it.
/// </summary>
internal sealed class SqliteTransactions : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private bool _full = true;

    public SqliteTransactions(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        try
        {
            _commit = Prepare("COMMIT");
        }
        catch
        {
            _begin.Dispose();
            throw;
        }
    }

    /// <summary>Starts a transaction whose commit waits for the disk (<paramref name="flush"/>) or not.</summary>
    public void Begin(bool flush)
    {
        Use(flush);
        Step(_begin);
    }

    /// <summary>Commits the transaction <see cref="Begin"/> started.</summary>
    /// <remarks>On a failure before it, the caller disposes of this, which rolls the transaction back.</remarks>
    public void Commit() => Step(_commit);

    /// <summary>Makes the connection's next commits wait for the disk (<paramref name="flush"/>) or not.</summary>
    public void Use(bool flush)
    {
        if (_full == flush)
        {
            return;
        }

        // Applied when SQLite compiles it, so a prepared copy stepped again would change nothing: run as text each time.
        var database = _connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(database, flush ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"), database);
        _full = flush;
    }

    /// <summary>
    /// Rolls back a transaction a failure left open, and finalizes the statements; before the connection closes (a
    /// connection with a live statement stays open until it is). Microsoft.Data.Sqlite's pool does not know of this
    /// transaction: a pooled connection would go back to the pool inside it, and its next user would commit the failed
    /// write's rows with its own. If the rollback fails too, the pool closes the connection instead of keeping it.
    /// </summary>
    public void Dispose()
    {
        _begin.Dispose();
        _commit.Dispose();
        var database = _connection.Handle;
        if (database is not null && raw.sqlite3_get_autocommit(database) == 0 && raw.sqlite3_exec(database, "ROLLBACK") != raw.SQLITE_OK)
        {
            SqliteConnection.ClearPool(_connection);
        }
    }

    /// <summary>A statement prepared once on the writer's connection, to be stepped many times (<see cref="Step"/>).</summary>
    public static sqlite3_stmt Prepare(sqlite3 database, string sql)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, sql, out var statement), database);
        return statement;
    }

    /// <summary>Runs a prepared statement that returns no rows, and resets it for the next run.</summary>
    public static void Step(sqlite3 database, sqlite3_stmt statement)
    {
        var stepped = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (stepped != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(stepped, database);
        }
    }

    private sqlite3_stmt Prepare(string sql) => Prepare(_connection.Handle!, sql);

    private void Step(sqlite3_stmt statement) => Step(_connection.Handle!, statement);
}
