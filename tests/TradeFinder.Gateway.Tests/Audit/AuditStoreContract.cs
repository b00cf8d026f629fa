using System.Security.Cryptography;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>The behaviour every audit store must have; run against SQLite and a real PostgreSQL.</summary>
public abstract class AuditStoreContract : IAsyncLifetime
{
    private const long T0 = 1_767_225_600_000;

    private readonly string _checkpointFile = Path.Combine(Path.GetTempPath(), "tf-checkpoints-" + Guid.NewGuid().ToString("N") + ".jsonl");

    internal IAuditStore Store { get; private set; } = null!;

    internal AuditChainKey Key { get; } = new(RandomNumberGenerator.GetBytes(32));

    internal AuditCheckpoints Checkpoints => new(_checkpointFile, Key);

    internal abstract Task<IAuditStore> CreateStoreAsync();

    /// <summary>Raw SQL against the store's database, as an attacker with database access would run it.</summary>
    protected abstract Task TamperAsync(string sql);

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        File.Delete(_checkpointFile);
    }

    private static AuditRecord Record(int i, string bot = "alpha", string type = AuditEventTypes.Traffic) => new()
    {
        OccurredAtMs = T0 + (i * 1000L),
        Type = type,
        Bot = bot,
        Endpoint = "GET /fapi/v2/account",
        Outcome = "forwarded 200",
        Details = $$"""{"n":{{i}}}""",
    };

    private async Task<IReadOnlyList<AuditEvent>> AppendAsync(int count, Func<int, AuditRecord>? make = null, AuditChainKey? key = null)
    {
        var (sequence, hash) = await Store.TailAsync(CancellationToken.None);
        var events = new List<AuditEvent>();
        for (var i = 0; i < count; i++)
        {
            var e = AuditChain.Link((make ?? (n => Record(n)))(i), ++sequence, hash, key ?? Key);
            hash = e.Hash;
            events.Add(e);
        }

        await Store.AppendAsync(events, CancellationToken.None);
        return events;
    }

    private Task<AuditVerification> VerifyAsync() => AuditChain.VerifyAsync(Store, Key, Checkpoints, CancellationToken.None);

    private async Task CheckpointTailAsync()
    {
        var (sequence, hash) = await Store.TailAsync(CancellationToken.None);
        Checkpoints.Append(sequence, hash, T0 + (sequence * 1000L));
    }

    [Fact]
    public async Task EmptyStore_TailIsGenesis_AndVerifies()
    {
        Assert.Equal((0L, AuditChain.Genesis), await Store.TailAsync(CancellationToken.None));
        Assert.True((await VerifyAsync()).Valid);
    }

    [Fact]
    public async Task Append_ThenTail_ContinuesTheChain_AndVerifies()
    {
        var first = await AppendAsync(5);
        var second = await AppendAsync(3);

        Assert.Equal((8L, second[^1].Hash), await Store.TailAsync(CancellationToken.None));
        Assert.Equal(first[^1].Hash, second[0].PrevHash);
        var result = await VerifyAsync();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(8, result.Checked);
    }

    [Fact]
    public async Task Query_FiltersByBotTypeAndTime_NewestFirst_OrAfterASequenceOldestFirst()
    {
        await AppendAsync(10, i => Record(i, bot: i % 2 == 0 ? "alpha" : "beta", type: i < 5 ? AuditEventTypes.Traffic : AuditEventTypes.ScopeDenied));

        var alpha = await Store.QueryAsync(new AuditQuery(Bot: "alpha"), CancellationToken.None);
        var denied = await Store.QueryAsync(new AuditQuery(Type: AuditEventTypes.ScopeDenied, Limit: 2), CancellationToken.None);
        var window = await Store.QueryAsync(new AuditQuery(FromMs: T0 + 2000, ToMs: T0 + 4000), CancellationToken.None);
        var after = await Store.QueryAsync(new AuditQuery(AfterSequence: 7), CancellationToken.None);

        Assert.Equal(5, alpha.Count);
        Assert.All(alpha, e => Assert.Equal("alpha", e.Bot));
        Assert.Equal([10L, 9L], denied.Select(e => e.Sequence));
        Assert.Equal([5L, 4L, 3L], window.Select(e => e.Sequence));
        Assert.Equal([8L, 9L, 10L], after.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Existing_ReportsOnlyStoredEventIds()
    {
        var stored = await AppendAsync(3);
        var unknown = Guid.NewGuid();

        var found = await Store.ExistingAsync([stored[0].EventId, stored[2].EventId, unknown], CancellationToken.None);

        Assert.Equal(2, found.Count);
        Assert.DoesNotContain(unknown, found);
    }

    [Fact]
    public async Task DuplicateEventId_IsRejectedByTheStore()
    {
        var stored = await AppendAsync(1);
        var duplicate = AuditChain.Link(Record(9) with { EventId = stored[0].EventId }, 2, stored[0].Hash, Key);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.AppendAsync([duplicate], CancellationToken.None));
    }

    [Fact]
    public async Task ABatchRefusedHalfway_LeavesNoRow_AndTheNextBatchesLand()
    {
        // The SQLite store keeps its writer's connection and statement between batches: a failure must not leave a
        // transaction open on them, nor half a batch behind.
        var stored = await AppendAsync(1);
        var fine = AuditChain.Link(Record(1), 2, stored[0].Hash, Key);
        var duplicate = AuditChain.Link(Record(2) with { EventId = stored[0].EventId }, 3, fine.Hash, Key);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Store.AppendUnflushedAsync([fine, duplicate], CancellationToken.None));
        Assert.Equal((1L, stored[0].Hash), await Store.TailAsync(CancellationToken.None));

        await Store.AppendUnflushedAsync([fine], CancellationToken.None);
        await AppendAsync(2);

        Assert.Equal(4L, (await Store.TailAsync(CancellationToken.None)).Sequence);
        var result = await VerifyAsync();
        Assert.True(result.Valid, result.Problem);
    }

    [Fact]
    public async Task ChangedRow_IsDetected()
    {
        await AppendAsync(6);

        await TamperAsync("UPDATE audit_events SET outcome = 'denied 403' WHERE sequence = 4");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("row 4 was changed", result.Problem);
    }

    [Fact]
    public async Task RemovedRow_IsDetected()
    {
        await AppendAsync(6);

        await TamperAsync("DELETE FROM audit_events WHERE sequence = 3");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("row 3 is missing", result.Problem);
    }

    [Fact]
    public async Task RemovedLastRows_AreDetectedByTheSignedCheckpoint()
    {
        // The chain alone cannot see its end cut off; the checkpoint outside the database names the lost row.
        await AppendAsync(4);
        await CheckpointTailAsync();

        await TamperAsync("DELETE FROM audit_events WHERE sequence = 4");

        Assert.True((await AuditChain.VerifyAsync(Store, Key, checkpoints: null, CancellationToken.None)).Valid);
        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("names row 4, the trail ends at row 3", result.Problem);
    }

    [Fact]
    public async Task ChainRecomputedWithoutTheKey_IsDetected()
    {
        // An attacker with database access rewrites every row and re-links the chain with a key of their own.
        await AppendAsync(3, key: new AuditChainKey(RandomNumberGenerator.GetBytes(32)));

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("row 1 was changed", result.Problem);
    }

    [Fact]
    public async Task RewrittenRowsThatMatchTheirOwnChain_DifferFromTheCheckpoint()
    {
        var events = await AppendAsync(3);
        await CheckpointTailAsync();

        // Re-appending the same rows with changed details under the real key (as a key holder would) still
        // disagrees with what was signed at the time.
        await TamperAsync("DELETE FROM audit_events");
        await AppendAsync(3, i => Record(i) with { Details = "{}" });

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("row 3 differs from the checkpoint", result.Problem);
        Assert.NotEqual(events[^1].Hash, (await Store.TailAsync(CancellationToken.None)).Hash);
    }

    [Fact]
    public async Task ForgedCheckpoint_IsRefused()
    {
        await AppendAsync(2);
        await File.AppendAllTextAsync(_checkpointFile, """{"Sequence":1,"Head":"00","AtMs":1,"Mac":"00"}""" + "\n");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("checkpoint line 1 is not signed", result.Problem);
    }

    [Fact]
    public async Task ReorderedRows_AreDetected()
    {
        await AppendAsync(6);

        // Swap the contents of rows 2 and 5 (sequence numbers stay, so only the chain can tell).
        await TamperAsync("UPDATE audit_events SET sequence = -2 WHERE sequence = 2");
        await TamperAsync("UPDATE audit_events SET sequence = 2 WHERE sequence = 5");
        await TamperAsync("UPDATE audit_events SET sequence = 5 WHERE sequence = -2");

        var result = await VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains("row 2", result.Problem);
    }

    [Fact]
    public async Task Purge_RemovesOldRows_AndTheRestStillVerifiesFromTheAnchor()
    {
        var events = await AppendAsync(10);

        var deleted = await Store.PurgeBeforeAsync(T0 + 4000, CancellationToken.None);

        Assert.Equal(4, deleted);
        Assert.Equal((4L, events[3].Hash), await Store.AnchorAsync(CancellationToken.None));
        var result = await VerifyAsync();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(6, result.Checked);
        await AppendAsync(2);
        Assert.True((await VerifyAsync()).Valid);
    }
}

public sealed class SqliteAuditStoreTests : AuditStoreContract
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "tf-audit-" + Guid.NewGuid().ToString("N") + ".db");

    internal override Task<IAuditStore> CreateStoreAsync() => Task.FromResult<IAuditStore>(new SqliteAuditStore(_path));

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAuditStoreTests(PostgresFixture postgres) : AuditStoreContract
{
    private string _connectionString = "";

    internal override async Task<IAuditStore> CreateStoreAsync()
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        return new PostgresAuditStore(_connectionString);
    }

    protected override async Task TamperAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
