using Microsoft.Data.Sqlite;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Whether a SQLite connection's commits wait for the disk: <c>FULL</c> syncs the write-ahead log at each commit,
/// <c>NORMAL</c> only appends to it (SQLite, "PRAGMA synchronous", WAL mode). The pragma is a statement of its own, so it
/// runs only when a commit asks for the other mode. One per connection, starting as <see cref="SqliteConnections"/> opens
/// it (<c>FULL</c>); a connection opened again starts a new one.
/// </summary>
internal sealed class SqliteCommitMode
{
    private bool _full = true;

    /// <summary>Makes the connection's next commits wait for the disk (<paramref name="flush"/>) or not.</summary>
    public void Use(SqliteConnection connection, bool flush)
    {
        if (_full == flush)
        {
            return;
        }

        using var pragma = connection.CreateCommand();
        pragma.CommandText = flush ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
        pragma.ExecuteNonQuery();
        _full = flush;
    }
}
