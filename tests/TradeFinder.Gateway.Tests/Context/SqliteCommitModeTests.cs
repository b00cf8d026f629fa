using Microsoft.Data.Sqlite;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

/// <summary>The audit trail's and the ownership ledger's SQLite writers switch between flushed and unflushed commits through it.</summary>
public sealed class SqliteCommitModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tf-commit-mode-").FullName;
    private readonly SqliteConnection _connection;

    public SqliteCommitModeTests()
    {
        // As both stores open their writer's connection.
        _connection = SqliteConnections.Open(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "db.sqlite"), Pooling = false }.ToString());
    }

    [Fact]
    public void ANewMode_TakesTheConnectionAsOpened_ForFull()
    {
        var mode = new SqliteCommitMode();
        Execute("PRAGMA synchronous=OFF"); // changed behind its back: asking for FULL first must not run the pragma

        mode.Use(_connection, flush: true);

        Assert.Equal(0, Synchronous());
    }

    [Fact]
    public void ACommitThatNeedNotWait_SwitchesTheConnectionToNormal_AndOneThatMustWait_BackToFull()
    {
        var mode = new SqliteCommitMode();

        mode.Use(_connection, flush: false);
        Assert.Equal(1, Synchronous()); // NORMAL: appended to the log, not synced

        mode.Use(_connection, flush: true);
        Assert.Equal(2, Synchronous()); // FULL
    }

    [Fact]
    public void TheSameModeAgain_RunsNoPragma()
    {
        var mode = new SqliteCommitMode();
        mode.Use(_connection, flush: false);

        // Changed behind its back: a mode that ran its pragma on every commit would put it back.
        Execute("PRAGMA synchronous=OFF");
        mode.Use(_connection, flush: false);

        Assert.Equal(0, Synchronous());
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
