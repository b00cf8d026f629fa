using Microsoft.Data.Sqlite;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Opens the gateway's SQLite connections (the audit trail's and the ownership ledger's) with the settings both rely on:
/// the write-ahead log, so readers go on beside the one writer (SQLite, "Write-Ahead Logging"); <c>synchronous=FULL</c>,
/// every commit synced until a <see cref="SqliteCommitMode"/> says otherwise (it starts from this); and a busy timeout,
/// so a commit that meets another connection's lock waits for it instead of failing at once.
/// </summary>
internal static class SqliteConnections
{
    private const string OpeningPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

    /// <param name="morePragmas">A store's own settings, run after the shared ones.</param>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, string morePragmas, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = OpeningPragmas + morePragmas;
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc cref="OpenAsync"/>
    public static SqliteConnection Open(string connectionString, string morePragmas)
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
