using Microsoft.Data.Sqlite;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

/// <summary>The audit trail's and the ownership ledger's SQLite writers run their transactions, flushed or not, through it (prepared once per connection).</summary>
public sealed class SqliteTransactionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tf-commit-mode-").FullName;
    private readonly SqliteConnection _connection;

    public SqliteTransactionsTests()
    {
        // As both stores open their writer's connection.
        _connection = SqliteConnections.Open(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "db.sqlite"), Pooling = false }.ToString());
    }

    [Fact]
    public void ANewMode_TakesTheConnectionAsOpened_ForFull()
    {
        using var transactions = new SqliteTransactions(_connection);
        Execute("PRAGMA synchronous=OFF"); // changed behind its back: asking for FULL first must not run the pragma

        transactions.Use(flush: true);

        Assert.Equal(0, Synchronous());
    }

    [Fact]
    public void ACommitThatNeedNotWait_SwitchesTheConnectionToNormal_AndOneThatMustWait_BackToFull()
    {
        using var transactions = new SqliteTransactions(_connection);

        transactions.Use(flush: false);
        Assert.Equal(1, Synchronous()); // NORMAL: appended to the log, not synced

        transactions.Use(flush: true);
        Assert.Equal(2, Synchronous()); // FULL
    }

    [Fact]
    public void TheSameModeAgain_RunsNoPragma()
    {
        using var transactions = new SqliteTransactions(_connection);
        transactions.Use(flush: false);

        // Changed behind its back: a mode that ran its pragma on every commit would put it back.
        Execute("PRAGMA synchronous=OFF");
        transactions.Use(flush: false);

        Assert.Equal(0, Synchronous());
    }

    [Fact]
    public void ATransaction_CommitsItsRows_InTheModeItAskedFor()
    {
        Execute("CREATE TABLE t (v INTEGER)");
        using var transactions = new SqliteTransactions(_connection);

        transactions.Begin(flush: false);
        Execute("INSERT INTO t VALUES (1)");
        Execute("INSERT INTO t VALUES (2)");
        Assert.Equal(1, Synchronous()); // NORMAL for this commit
        transactions.Commit();

        transactions.Begin(flush: true);
        Execute("INSERT INTO t VALUES (3)");
        transactions.Commit();

        Assert.Equal(2, Synchronous());
        using var reader = Reader();
        Assert.Equal(3L, CountOn(reader, "t"));
    }

    [Fact]
    public void ATransaction_HoldsTheWriteLockFromItsStart_AndAnotherWriterWaitsForIt()
    {
        // BEGIN IMMEDIATE, as Microsoft.Data.Sqlite's own transactions began: a commit never finds the lock taken halfway.
        Execute("CREATE TABLE t (v INTEGER)");
        using var transactions = new SqliteTransactions(_connection);
        using var other = Reader();
        using (var impatient = other.CreateCommand())
        {
            impatient.CommandText = "PRAGMA busy_timeout=0";
            impatient.ExecuteNonQuery();
        }

        transactions.Begin(flush: true);
        var refused = Assert.Throws<SqliteException>(() => Execute(other, "INSERT INTO t VALUES (9)"));
        Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
        transactions.Commit();

        Execute(other, "INSERT INTO t VALUES (9)");
        Assert.Equal(1L, CountOn(other, "t"));
    }

    [Fact]
    public void ATransactionLeftOpenByAFailure_IsRolledBack_EvenOnAPooledConnection()
    {
        // Both stores' connections are pooled: closing one returns its handle to the pool, open transaction and all,
        // unless it is rolled back first; the next writer's commit would then commit the failed write's rows.
        var pooled = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "pooled.sqlite"), Pooling = true }.ToString();
        using (var setup = SqliteConnections.Open(pooled))
        {
            Execute(setup, "CREATE TABLE t (v INTEGER)");
        }

        using (var failing = SqliteConnections.Open(pooled))
        {
            var transactions = new SqliteTransactions(failing);
            transactions.Begin(flush: true);
            Execute(failing, "INSERT INTO t VALUES (1)");

            // As the stores do after a failed write: this disposed of, then the connection.
            transactions.Dispose();
        }

        using var next = SqliteConnections.Open(pooled);
        using var nextTransactions = new SqliteTransactions(next);
        nextTransactions.Begin(flush: true); // not "within a transaction"
        Execute(next, "INSERT INTO t VALUES (2)");
        nextTransactions.Commit();
        Assert.Equal(1L, CountOn(next, "t"));
        SqliteConnection.ClearPool(next);
    }

    private SqliteConnection Reader() =>
        SqliteConnections.Open(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "db.sqlite"), Pooling = false }.ToString());

    private static long CountOn(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Synchronous()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
