using Npgsql;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// A registry document shared by replicas: one row per registry in the cluster's PostgreSQL, written under a row lock
/// (the database's equivalent of the single node's lock file) with a version, and announced with NOTIFY so every
/// replica's <see cref="RegistryListener"/> reloads it at once. Requests read only the copy in memory: a replica keeps
/// authenticating with the registry it last read while the database is unreachable; changes then fail and say so.
/// </summary>
internal sealed class PostgresRegistryStorage : RegistryStorage
{
    public const string Channel = "tf_registry";

    /// <summary>
    /// How often an unknown certificate may make this replica read the registry (<see cref="RefreshNowAsync"/>): a
    /// certificate signed by our CA but not registered (a revoked bot's, retrying) costs the database at most this.
    /// </summary>
    public static readonly TimeSpan AskAtMostEvery = TimeSpan.FromMilliseconds(100);

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly Lock _asking = new();
    private Loaded _loaded = new(-1, null);
    private (Task Read, long At)? _lastAsked;

    /// <param name="importFile">The single node's file: copied in when the cluster has no such registry yet (switching to replicas keeps the bots).</param>
    public PostgresRegistryStorage(NpgsqlDataSource source, string name, string? importFile = null, TimeProvider? time = null)
    {
        _source = source;
        _time = time ?? TimeProvider.System;
        Name = name;
        using var connection = source.OpenConnection();
        EnsureTable(connection);
        if (importFile is not null && File.Exists(importFile))
        {
            using var import = new NpgsqlCommand("INSERT INTO tf_registry (name, body, version) VALUES ($1, $2, 1) ON CONFLICT (name) DO NOTHING", connection);
            import.Parameters.AddWithValue(name);
            import.Parameters.AddWithValue(File.ReadAllText(importFile));
            import.ExecuteNonQuery();
        }

        Apply(Load(connection));
    }

    public string Name { get; }

    public override string Location => $"the cluster's PostgreSQL (registry '{Name}')";

    public override (long, long) Stamp => (Volatile.Read(ref _loaded).Version, 1);

    public override ((long, long) Stamp, string? Json) Read()
    {
        var loaded = Volatile.Read(ref _loaded);
        return ((loaded.Version, 1), loaded.Json);
    }

    public override void Update(Func<string?, string> change)
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var ensure = new NpgsqlCommand("INSERT INTO tf_registry (name, body, version) VALUES ($1, NULL, 0) ON CONFLICT (name) DO NOTHING", connection, transaction))
        {
            ensure.Parameters.AddWithValue(Name);
            ensure.ExecuteNonQuery();
        }

        string? current;
        using (var select = new NpgsqlCommand("SELECT body FROM tf_registry WHERE name = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue(Name);
            current = select.ExecuteScalar() as string;
        }

        var body = change(current);
        long version;
        using (var update = new NpgsqlCommand("UPDATE tf_registry SET body = $2, version = version + 1 WHERE name = $1 RETURNING version", connection, transaction))
        {
            update.Parameters.AddWithValue(Name);
            update.Parameters.AddWithValue(body);
            version = (long)update.ExecuteScalar()!;
        }

        using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction))
        {
            notify.Parameters.AddWithValue(Channel);
            notify.Parameters.AddWithValue(Name);
            notify.ExecuteNonQuery();
        }

        transaction.Commit();
        Apply(new Loaded(version, body));
    }

    /// <summary>Reloads the document (after a notification, or to catch up after the listener reconnected).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand("SELECT version, body FROM tf_registry WHERE name = $1", connection);
        select.Parameters.AddWithValue(Name);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Apply(new Loaded(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
    }

    /// <summary>
    /// A certificate this replica does not know may have been registered a moment ago on another replica or by the CLI,
    /// whose notification is still on its way: read the registry now rather than refuse the bot. Callers at the same time
    /// share one read, and reads start at most every <see cref="AskAtMostEvery"/>.
    /// </summary>
    public override async ValueTask<bool> RefreshNowAsync(CancellationToken cancellationToken)
    {
        Task read;
        lock (_asking)
        {
            var now = _time.GetTimestamp();
            if (_lastAsked is { Read.IsCompleted: false } running)
            {
                read = running.Read;
            }
            else if (_lastAsked is { } last && _time.GetElapsedTime(last.At, now) < AskAtMostEvery)
            {
                return false;
            }
            else
            {
                // Not the caller's token: others may be waiting for the same read. Started on the pool, so that none of
                // it (taking a connection, sending the query) runs under this lock or on the caller's socket thread.
                read = Task.Run(() => RefreshAsync(CancellationToken.None), CancellationToken.None);
                _lastAsked = (read, now);
            }
        }

        try
        {
            await read.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Unreachable: the copy in memory stands, as for every other request.
            return false;
        }
    }

    private static void EnsureTable(NpgsqlConnection connection) =>
        PostgresSchema.Ensure(connection, "CREATE TABLE IF NOT EXISTS tf_registry (name text PRIMARY KEY, body text, version bigint NOT NULL)");

    private Loaded Load(NpgsqlConnection connection)
    {
        using var select = new NpgsqlCommand("SELECT version, body FROM tf_registry WHERE name = $1", connection);
        select.Parameters.AddWithValue(Name);
        using var reader = select.ExecuteReader();
        return reader.Read() ? new Loaded(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : new Loaded(0, null);
    }

    /// <summary>Newer versions only: a slow reload must not undo a change this replica has just written.</summary>
    private void Apply(Loaded loaded)
    {
        var current = Volatile.Read(ref _loaded);
        while (loaded.Version > current.Version)
        {
            var seen = Interlocked.CompareExchange(ref _loaded, loaded, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    private sealed record Loaded(long Version, string? Json);
}
