using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The audit store in portable SQL (the same statements run on SQLite and PostgreSQL); subclasses supply
/// connections and the schema's few dialect differences.
/// </summary>
internal abstract class SqlAuditStore : IAuditStore
{
    protected const string Columns = "sequence, event_id, occurred_at, event_type, bot, endpoint, outcome, details, prev_hash, hash";

    public abstract string Name { get; }

    protected abstract string BigIntType { get; }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public virtual async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in Migrations())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<(long Sequence, string Hash)> TailAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return (reader.GetInt64(0), reader.GetString(1));
            }
        }

        return await AnchorAsync(cancellationToken).ConfigureAwait(false) ?? (0, AuditChain.Genesis);
    }

    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        var found = new HashSet<Guid>();
        if (eventIds.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in eventIds.Chunk(200))
        {
            await using var command = connection.CreateCommand();
            var names = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                names.Add("@e" + i.ToString(CultureInfo.InvariantCulture));
                Add(command, names[^1], chunk[i].ToString("D"));
            }

            command.CommandText = $"SELECT event_id FROM audit_events WHERE event_id IN ({string.Join(',', names)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        return found;
    }

    public abstract Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>The base store's commits are always flushed (PostgreSQL: as its synchronous_commit says).</summary>
    public virtual Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken) =>
        AppendAsync(events, cancellationToken);

    public virtual Task<bool> FlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public virtual Task<bool> CheckpointLogAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Bot is not null)
        {
            where.Add("bot = @bot");
            Add(command, "@bot", query.Bot);
        }

        if (query.Type is not null)
        {
            where.Add("event_type = @type");
            Add(command, "@type", query.Type);
        }

        if (query.FromMs is not null)
        {
            where.Add("occurred_at >= @from");
            Add(command, "@from", query.FromMs.Value);
        }

        if (query.ToMs is not null)
        {
            where.Add("occurred_at <= @to");
            Add(command, "@to", query.ToMs.Value);
        }

        if (query.AfterSequence is not null)
        {
            where.Add("sequence > @after");
            Add(command, "@after", query.AfterSequence.Value);
        }

        Add(command, "@limit", Math.Clamp(query.Limit, 1, 10_000));

        // Newest first unless following from a sequence, then oldest first.
        var order = query.AfterSequence is null ? "DESC" : "ASC";
        command.CommandText = $"SELECT {Columns} FROM audit_events{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} ORDER BY sequence {order} LIMIT @limit";
        var rows = new List<AuditEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    public async IAsyncEnumerable<AuditEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_events ORDER BY sequence ASC";
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    public async Task<(long Sequence, string Hash)?> AnchorAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, hash FROM audit_anchor WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public async Task<int> PurgeBeforeAsync(long cutoffMs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var last = connection.CreateCommand();
        last.Transaction = transaction;
        last.CommandText = "SELECT sequence, hash FROM audit_events WHERE occurred_at < @cutoff ORDER BY sequence DESC LIMIT 1";
        Add(last, "@cutoff", cutoffMs);
        long sequence;
        string hash;
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            (sequence, hash) = (reader.GetInt64(0), reader.GetString(1));
        }

        // Rows are purged as a prefix of the chain, so verification can start from the anchor.
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM audit_events WHERE sequence <= @sequence";
        Add(delete, "@sequence", sequence);
        var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var anchor = connection.CreateCommand();
        anchor.Transaction = transaction;
        anchor.CommandText = "INSERT INTO audit_anchor (id, sequence, hash) VALUES (1, @sequence, @hash) ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash";
        Add(anchor, "@sequence", sequence);
        Add(anchor, "@hash", hash);
        await anchor.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public abstract ValueTask DisposeAsync();

    protected IEnumerable<string> Migrations() =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS audit_events (
            sequence {BigIntType} PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            occurred_at {BigIntType} NOT NULL,
            event_type TEXT NOT NULL,
            bot TEXT NULL,
            endpoint TEXT NULL,
            outcome TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS audit_events_bot_time ON audit_events (bot, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_events_type_time ON audit_events (event_type, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (occurred_at)",
        $"CREATE TABLE IF NOT EXISTS audit_anchor (id INTEGER PRIMARY KEY, sequence {BigIntType} NOT NULL, hash TEXT NOT NULL)",
    ];

    private static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static AuditEvent Read(DbDataReader r) => new(
        r.GetInt64(0), Guid.Parse(r.GetString(1)), r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9));
}
