using System.Security.Cryptography;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>A full audit queue slows request records down but never holds an order's answer or grows memory.</summary>
public sealed class AuditTrailQueueTests : IDisposable
{
    private readonly ScopedTempDirectory _dir = new("tf-trail");
    private readonly AuditChainKey _key = new(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private static AuditRecord Record(int n) => new()
    {
        OccurredAtMs = 1_767_225_600_000 + n,
        Type = AuditEventTypes.AuthFailure,
        Outcome = "refused",
    };

    [Fact]
    public void FullQueue_RecordsFromCallbacks_GoToTheSpool_NotToBackgroundTasks()
    {
        var spool = new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key);
        var trail = new AuditTrail(capacity: 10, spool);

        for (var i = 0; i < 10_000; i++)
        {
            trail.Write(Record(i));
        }

        // Synchronously accounted for: 10 in the queue, the rest already on disk, nothing in flight.
        var queued = 0;
        while (trail.Reader.TryRead(out _))
        {
            queued++;
        }

        Assert.Equal(10, queued);
        Assert.Equal(9_990, spool.ReadAll().Count);
    }

    [Fact]
    public async Task FullQueue_DurableRecord_IsFlushedToTheSpoolAtOnce()
    {
        var spool = new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key);
        var trail = new AuditTrail(capacity: 1, spool);
        await trail.WriteAsync(Record(0));

        // No writer is draining the queue: before, this waited for room forever.
        var order = Record(1);
        await trail.WriteDurableAsync(order).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(order.EventId, Assert.Single(spool.ReadAll()).EventId);
    }

    [Fact]
    public async Task FullQueue_RequestRecord_WaitsForRoom()
    {
        var spool = new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key);
        var trail = new AuditTrail(capacity: 1, spool);
        await trail.WriteAsync(Record(0));

        var waiting = trail.WriteAsync(Record(1)).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(trail.Reader.TryRead(out _));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(spool.HasEntries);
    }
}
