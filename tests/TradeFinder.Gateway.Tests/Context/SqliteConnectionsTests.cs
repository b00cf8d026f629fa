using Microsoft.Data.Sqlite;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

/// <summary>The audit trail and the ownership ledger open every SQLite connection through it.</summary>
public sealed class SqliteConnectionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tf-sqlite-open-").FullName;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "db.sqlite"), Pooling = false }.ToString();

    [Fact]
    public void AConnection_OpensInWalMode_SyncingEveryCommit_WaitingForLocks_WithTheStoresOwnSettingsAfter()
    {
        using var connection = SqliteConnections.Open(ConnectionString, " PRAGMA cache_size=-4096; PRAGMA wal_autocheckpoint=0;");

        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(2L, Pragma(connection, "synchronous")); // FULL, where SqliteTransactions starts
        Assert.Equal(5000L, Pragma(connection, "busy_timeout"));
        Assert.Equal(-4096L, Pragma(connection, "cache_size"));
        Assert.Equal(0L, Pragma(connection, "wal_autocheckpoint"));
    }

    private static object Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return command.ExecuteScalar()!;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
