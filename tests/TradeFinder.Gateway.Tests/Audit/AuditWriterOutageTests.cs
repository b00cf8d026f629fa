using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>A real PostgreSQL stopped mid-run and restarted: every event ends up stored exactly once, chained.</summary>
public sealed class AuditWriterOutageTests : IAsyncLifetime
{
    private readonly string _spoolPath = Path.Combine(Path.GetTempPath(), "tf-spool-" + Guid.NewGuid().ToString("N") + ".jsonl");
    private readonly AuditChainKey _key = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartPrivateAsync();

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        File.Delete(_spoolPath);
        File.Delete(_spoolPath + ".checkpoints");
    }

    private static AuditRecord Record(int n) => new()
    {
        // Recent timestamps: the writer applies retention, and older rows would be purged.
        OccurredAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + n,
        Type = AuditEventTypes.Traffic,
        Bot = "alpha",
        Endpoint = "POST /fapi/v1/order",
        Outcome = "forwarded 200",
        Details = $$"""{"n":{{n}}}""",
    };

    [Fact]
    public async Task DatabaseStoppedMidRunAndRestarted_EveryEventIsStoredExactlyOnce()
    {
        await using var store = new PostgresAuditStore(await _postgres.CreateDatabaseAsync());
        var spool = new AuditSpool(_spoolPath, _key);
        var trail = new AuditTrail(1000, spool);
        var writer = new AuditWriter(trail, store, spool, _key, new AuditCheckpoints(_spoolPath + ".checkpoints", _key), TimeProvider.System, Options.Create(new AuditOptions { RetrySeconds = 1 }), NullLogger<AuditWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var written = new List<AuditRecord>();

        async Task WriteAsync(int from, int count)
        {
            for (var n = from; n < from + count; n++)
            {
                var record = Record(n);
                written.Add(record);
                if (n % 10 == 0)
                {
                    // Order-affecting records: must be durable (database or spool) before the bot is answered.
                    await trail.WriteDurableAsync(record).WaitAsync(TimeSpan.FromSeconds(30));
                }
                else
                {
                    await trail.WriteAsync(record);
                }
            }
        }

        await WriteAsync(0, 100);
        await _postgres.StopAsync();
        await WriteAsync(100, 100);
        await WaitUntilAsync(() => spool.HasEntries);
        Assert.False(writer.DatabaseAvailable);

        await _postgres.StartAsync();
        await WriteAsync(200, 100);
        await WaitUntilAsync(async () => await store.QueryAsync(new AuditQuery(Limit: 1), CancellationToken.None) is [{ Sequence: 300 }]);
        await writer.StopAsync(CancellationToken.None);

        var stored = new List<AuditEvent>();
        await foreach (var e in store.ReadAllAsync(CancellationToken.None))
        {
            stored.Add(e);
        }

        Assert.Equal(300, stored.Count);
        Assert.Equal(written.Select(r => r.EventId).Order(), stored.Select(e => e.EventId).Order());
        Assert.False(spool.HasEntries);
        var verification = await AuditChain.VerifyAsync(store, _key, new AuditCheckpoints(_spoolPath + ".checkpoints", _key), CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task DatabaseDownAtStart_RecordsAreSpooledThenReplayedWhenItComesUp()
    {
        await using var store = new PostgresAuditStore(await _postgres.CreateDatabaseAsync());
        await _postgres.StopAsync();
        var spool = new AuditSpool(_spoolPath, _key);
        var trail = new AuditTrail(1000, spool);
        var writer = new AuditWriter(trail, store, spool, _key, new AuditCheckpoints(_spoolPath + ".checkpoints", _key), TimeProvider.System, Options.Create(new AuditOptions { RetrySeconds = 1 }), NullLogger<AuditWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        await trail.WriteDurableAsync(Record(1)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(spool.HasEntries);

        await _postgres.StartAsync();
        await WaitUntilAsync(() => !spool.HasEntries);
        await writer.StopAsync(CancellationToken.None);
        Assert.Single(await store.QueryAsync(new AuditQuery(), CancellationToken.None));
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 60 s");
            await Task.Delay(100);
        }
    }
}
