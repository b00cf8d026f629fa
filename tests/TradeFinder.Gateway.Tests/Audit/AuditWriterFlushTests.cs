using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// The writer waits for the disk only where it must: an order's or cancel's record, and the rows a checkpoint names
/// (a checkpoint outside the database must never name a row a power cut could take back). The real SQLite store,
/// seen through a recorder of which commits were flushed.
/// </summary>
public sealed class AuditWriterFlushTests : IAsyncLifetime
{
    private readonly string _dir = TempDirectory.Create("tf-audit-flush");
    private readonly AuditChainKey _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private RecordingAuditStore _store = null!;
    private AuditTrail _trail = null!;
    private AuditCheckpoints _checkpoints = null!;
    private AuditWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _store = new RecordingAuditStore(new SqliteAuditStore(Path.Combine(_dir, "audit.db")));
        var spool = new AuditSpool(Path.Combine(_dir, "spool.jsonl"), _key);
        _trail = new AuditTrail(1000, spool);
        _checkpoints = new AuditCheckpoints(Path.Combine(_dir, "checkpoints.jsonl"), _key);
        _writer = new AuditWriter(_trail, _store, spool, _key, _checkpoints, _time, Options.Create(new AuditOptions()), NullLogger<AuditWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }

    private AuditRecord Record(string outcome) => new()
    {
        OccurredAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        Type = AuditEventTypes.Traffic,
        Bot = "alpha",
        Endpoint = "GET /fapi/v1/time",
        Outcome = outcome,
    };

    private async Task<long> StoredAsync() => (await _store.TailAsync(CancellationToken.None)).Sequence;

    private async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(await condition());
    }

    private long LastCheckpoint() => _checkpoints.ReadAll() is { Count: > 0 } all ? all[^1].Checkpoint?.Sequence ?? 0 : 0;

    [Fact]
    public async Task Reads_AreCommittedWithoutWaitingForTheDisk_OrdersAreFlushed_AndCheckpointsNameOnlyFlushedRows()
    {
        // The first batch is flushed and checkpointed (a checkpoint is due at start); within the second, reads are not.
        await _trail.WriteAsync(Record("first"));
        await WaitForAsync(async () => await StoredAsync() == 1);
        await _trail.WriteAsync(Record("read"));
        await WaitForAsync(async () => await StoredAsync() == 2);
        Assert.Equal([true, false], _store.Flushes);

        // An order's record: flushed before the bot may be answered.
        await _trail.WriteDurableAsync(Record("order")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_store.Flushes[^1]);
        Assert.Equal(1, LastCheckpoint()); // not due yet

        // A read once a checkpoint is due: flushed, so the checkpoint may name it.
        _time.Advance(TimeSpan.FromSeconds(1));
        await _trail.WriteAsync(Record("read, checkpoint due"));
        await WaitForAsync(async () => await StoredAsync() == 4);
        Assert.True(_store.Flushes[^1]);
        await WaitForAsync(() => Task.FromResult(LastCheckpoint() == 4)); // written just after the commit the poll saw

        // Idle after an unflushed read: flushed by the writer after a second of quiet, then checkpointed.
        await _trail.WriteAsync(Record("last read"));
        await WaitForAsync(async () => await StoredAsync() == 5);
        Assert.False(_store.Flushes[^1]);
        Assert.Equal(4, LastCheckpoint());
        var explicitFlushes = _store.ExplicitFlushes;
        await WaitForAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(200)); // the writer's quiet second passes
            return Task.FromResult(_store.ExplicitFlushes > explicitFlushes && LastCheckpoint() == 5);
        });

        await _writer.StopAsync(CancellationToken.None);
        var verification = await AuditChain.VerifyAsync(_store, _key, _checkpoints, CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task AnOutcomeWaitedForAsCommitted_IsReadableWhenTheWaitEnds_WithoutWaitingForTheDisk()
    {
        await _trail.WriteAsync(Record("first")); // flushed: a checkpoint is due at start
        await WaitForAsync(async () => await StoredAsync() == 1);

        // The order's sent record went to disk earlier; its outcome need only be committed before the bot's answer.
        await _trail.WriteCommittedAsync(Record("outcome")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, await StoredAsync()); // no polling: committed when the wait ended
        Assert.Equal([true, false], _store.Flushes);
    }
}
