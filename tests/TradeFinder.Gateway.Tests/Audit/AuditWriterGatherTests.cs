using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// With a gathering window, records nobody waits for (reads, refusals) share a commit instead of each having its own,
/// while a record an answer waits for (an order's <c>sent</c> record) and a full batch are never held back. The real
/// SQLite store on the fake clock, which never moves unless a test moves it: a record held for the window stays held.
/// </summary>
public sealed class AuditWriterGatherTests : IAsyncLifetime
{
    private readonly AuditWriterHarness _h = new("tf-audit-gather");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private AuditRecord Read(string outcome) => _h.Record(outcome);

    // Long enough for the writer, woken by the record, to have committed it had it not waited.
    private static Task WriterHadItsChance() => Task.Delay(300);

    // A first record, committed at once (there was no commit before it): the window runs from here.
    private async Task FirstCommittedAsync(AuditOptions options)
    {
        await _h.StartAsync(options: options);
        await _h.Trail.WriteAsync(Read("first"));
        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 1);
    }

    [Fact]
    public async Task RecordsNobodyWaitsFor_WithinTheWindowAfterACommit_WaitForItsEnd_ThenShareOneCommit()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 20 });

        await _h.Trail.WriteAsync(Read("read 1"));
        await _h.Trail.WriteAsync(Read("read 2"));
        await _h.Trail.WriteAsync(Read("read 3"));
        await WriterHadItsChance();
        Assert.Equal(1, await _h.StoredAsync());

        await AuditWriterHarness.WaitForAsync(async () =>
        {
            _h.Time.Advance(TimeSpan.FromMilliseconds(5));
            return await _h.StoredAsync() == 4;
        });
        Assert.Equal([1, 3], _h.Store.Sizes);
    }

    [Fact]
    public async Task ARecordAWindowOrMoreAfterTheLastCommit_IsCommittedAtOnce()
    {
        // At a low rate nothing waits: each record is committed as it comes, as without a window.
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 20 });
        _h.Time.Advance(TimeSpan.FromMilliseconds(20));

        await _h.Trail.WriteAsync(Read("read"));

        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 2);
        Assert.Equal([1, 1], _h.Store.Sizes);
    }

    [Fact]
    public async Task ARecordAnAnswerWaitsFor_IsCommittedAtOnce_WithTheRecordsGatheredBeforeIt()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 100 });
        await _h.Trail.WriteAsync(Read("read 1"));
        await _h.Trail.WriteAsync(Read("read 2"));
        await WriterHadItsChance();
        Assert.Equal(1, await _h.StoredAsync());

        // The clock does not move: only the order's record ends the window.
        await _h.Trail.WriteDurableAsync(_h.Record("sent", "POST /fapi/v1/order")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 3], _h.Store.Sizes);
        Assert.True(_h.Store.Flushes[^1]);
    }

    [Fact]
    public async Task ARecordAnAnswerWaitsFor_IsNotHeldForTheWindow_WhenItComesAlone()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 100 });

        await _h.Trail.WriteDurableAsync(_h.Record("sent", "POST /fapi/v1/order")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 1], _h.Store.Sizes);
    }

    [Fact]
    public async Task AFullBatch_IsCommittedWithoutWaitingForTheWindow()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 100, BatchSize = 4 });
        await _h.Trail.WriteAsync(Read("read 0"));
        await WriterHadItsChance(); // the writer is in its window now: only the batch's last record can end it

        for (var i = 1; i < 4; i++)
        {
            await _h.Trail.WriteAsync(Read($"read {i}"));
        }

        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 5);
    }

    [Fact]
    public async Task Stopping_CommitsWhatIsGathered()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 100 });
        await _h.Trail.WriteAsync(Read("read"));
        await WriterHadItsChance();

        await _h.Writer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 1], _h.Store.Sizes);
        Assert.True(_h.Store.Flushes[^1]);
    }

    [Fact]
    public async Task WithoutAWindow_EachRecordIsCommittedAsItComes()
    {
        await FirstCommittedAsync(new AuditOptions { GatherMilliseconds = 0 });

        await _h.Trail.WriteAsync(Read("read"));

        await AuditWriterHarness.WaitForAsync(async () => await _h.StoredAsync() == 2);
        Assert.Equal([1, 1], _h.Store.Sizes);
    }
}
