using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>A started audit writer over the real SQLite store (seen through <see cref="RecordingAuditStore"/>) in a temporary directory.</summary>
internal sealed class AuditWriterHarness(string name) : IAsyncDisposable
{
    private readonly string _dir = TempDirectory.Create(name);

    public AuditChainKey Key { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RecordingAuditStore Store { get; private set; } = null!;

    public AuditTrail Trail { get; private set; } = null!;

    public AuditCheckpoints Checkpoints { get; private set; } = null!;

    public AuditWriter Writer { get; private set; } = null!;

    public GatewayMetrics Metrics { get; } = new();

    public string DatabaseFile => Path.Combine(_dir, "audit.db");

    public string CheckpointFile => Path.Combine(_dir, "checkpoints.jsonl");

    /// <summary>Starts a writer (on the fake clock unless another is given; default settings unless others are) over the directory's files.</summary>
    public async Task StartAsync(TimeProvider? time = null, AuditOptions? options = null)
    {
        options ??= new AuditOptions();
        Store = new RecordingAuditStore(new SqliteAuditStore(DatabaseFile));
        var spool = new AuditSpool(Path.Combine(_dir, "spool.jsonl"), Key);
        Trail = new AuditTrail(1000, spool, options.GatheredBatch);
        Checkpoints = new AuditCheckpoints(CheckpointFile, Key);
        Writer = new AuditWriter(Trail, Store, spool, Key, Checkpoints, time ?? Time, Options.Create(options), NullLogger<AuditWriter>.Instance, Metrics);
        await Writer.StartAsync(CancellationToken.None);
    }

    /// <summary>Stops the writer and disposes the store (for a restart, or at the end).</summary>
    public async Task StopAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        await Store.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Metrics.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_dir);
    }

    public AuditRecord Record(string outcome, string endpoint = "GET /fapi/v1/time", TimeProvider? time = null) => new()
    {
        OccurredAtMs = (time ?? Time).GetUtcNow().ToUnixTimeMilliseconds(),
        Type = AuditEventTypes.Traffic,
        Bot = "alpha",
        Endpoint = endpoint,
        Outcome = outcome,
    };

    public async Task<long> StoredAsync() => (await Store.TailAsync(CancellationToken.None)).Sequence;

    public long LastCheckpoint() => Checkpoints.ReadAll() is { Count: > 0 } all ? all[^1].Checkpoint?.Sequence ?? 0 : 0;

    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 400 && !await condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(await condition());
    }
}
