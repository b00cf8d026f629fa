using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>The spool holds records while the database is away; what is replayed from it must be what was written.</summary>
public sealed class AuditSpoolTests : IDisposable
{
    private readonly ScopedTempDirectory _dir = new("tf-spool");
    private readonly AuditChainKey _key = new(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private string SpoolFile => Path.Combine(_dir.Path, "spool.jsonl");

    private AuditSpool Spool() => new(SpoolFile, _key);

    private static AuditRecord Record(int n) => new()
    {
        OccurredAtMs = 1_767_225_600_000 + n,
        Type = AuditEventTypes.Traffic,
        Bot = "alpha",
        Endpoint = "POST /fapi/v1/order",
        Outcome = "forwarded 200",
        Details = $$"""{"n":{{n}}}""",
    };

    private string[] Lines() => File.ReadAllText(SpoolFile).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Appends_FromSeveralSpoolInstances_ReadBackInOrder()
    {
        Spool().Append([Record(1), Record(2)]);
        Spool().Append([Record(3)]);

        Assert.Equal([1L, 2L, 3L], Spool().ReadAll().Select(r => r.OccurredAtMs - 1_767_225_600_000));
    }

    [Fact]
    public void EditedLine_StopsReplay_NamingTheLine()
    {
        Spool().Append([Record(1), Record(2), Record(3)]);
        var lines = Lines();
        lines[1] = lines[1].Replace("forwarded 200", "forwarded 500", StringComparison.Ordinal);
        File.WriteAllText(SpoolFile, string.Join('\n', lines) + "\n");

        var error = Assert.Throws<AuditSpoolException>(() => Spool().ReadAll());

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void RemovedLine_StopsReplay()
    {
        Spool().Append([Record(1), Record(2), Record(3)]);
        var lines = Lines();
        File.WriteAllText(SpoolFile, lines[0] + "\n" + lines[2] + "\n");

        Assert.Equal(2, Assert.Throws<AuditSpoolException>(() => Spool().ReadAll()).Line);
    }

    [Fact]
    public void UnreadableOrUnchainedLine_StopsReplay_InsteadOfBeingSkipped()
    {
        Spool().Append([Record(1)]);
        File.AppendAllText(SpoolFile, "garbage\n");
        Spool().Append([Record(2)]);

        var error = Assert.Throws<AuditSpoolException>(() => Spool().ReadAll());

        Assert.Equal(2, error.Line);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void TornLastLine_IsDropped_AndTheNextAppendContinuesTheChain()
    {
        // A crash mid-append leaves a line without its newline; that record was never acknowledged as durable.
        Spool().Append([Record(1)]);
        File.AppendAllText(SpoolFile, Lines()[0][..40]);

        Assert.Single(Spool().ReadAll());
        Spool().Append([Record(2)]);

        Assert.Equal(2, Spool().ReadAll().Count);
    }

    [Fact]
    public void Clear_RemovesOnlyWhatWasReplayed_KeepingRecordsAppendedMeanwhile()
    {
        var spool = Spool();
        spool.Append([Record(1), Record(2)]);
        Assert.Equal(2, spool.ReadAll().Count);

        var late = Record(3);
        spool.Append([late]);
        spool.Clear();

        Assert.Equal(late.EventId, Assert.Single(Spool().ReadAll()).EventId);
    }

    [Fact]
    public async Task Writer_LeavesABrokenSpoolInPlace_ReportsIt_AndKeepsSpoolingBehindIt()
    {
        Spool().Append([Record(1)]);
        File.AppendAllText(SpoolFile, "garbage\n");
        var spool = Spool();
        var trail = new AuditTrail(100, spool);
        await using var store = new SqliteAuditStore(Path.Combine(_dir.Path, "audit.db"));
        var writer = new AuditWriter(trail, store, spool, _key, new AuditCheckpoints(Path.Combine(_dir.Path, "checkpoints.jsonl"), _key),
            TimeProvider.System, Options.Create(new AuditOptions { RetrySeconds = 1 }), NullLogger<AuditWriter>.Instance);

        await writer.StartAsync(CancellationToken.None);
        await trail.WriteDurableAsync(Record(2)).WaitAsync(TimeSpan.FromSeconds(30));
        await writer.StopAsync(CancellationToken.None);

        Assert.Contains("line 2", writer.ReplayStopped);
        Assert.Empty(await store.QueryAsync(new AuditQuery(), CancellationToken.None));
        Assert.Equal(3, Lines().Length);
    }
}
