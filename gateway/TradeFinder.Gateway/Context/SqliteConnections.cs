using Microsoft.Data.Sqlite;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Opens the gateway's SQLite connections (the audit trail's and the ownership ledger's) with the settings both rely on:
/// the write-ahead log, so readers go on beside the one writer (SQLite, "Write-Ahead Logging"); <c>synchronous=FULL</c>,
/// every commit synced until a <see cref="SqliteTransactions"/> says otherwise (it starts from this); and a busy timeout,
/// so a commit that meets another connection's lock waits for it instead of failing at once. Synchronous only: SQLite's
/// work is local, and Microsoft.Data.Sqlite's asynchronous methods run synchronously anyway.
/// </summary>
internal static class SqliteConnections
{
    private const string OpeningPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    /// <param name="connectionString">Where.</param>
    /// <param name="morePragmas">A store's own settings, run after the shared ones.</param>
    public static SqliteConnection Open(string connectionString, string morePragmas = "")
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = OpeningPragmas + morePragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
