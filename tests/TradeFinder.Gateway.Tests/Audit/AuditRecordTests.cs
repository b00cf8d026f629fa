using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

public sealed class AuditRecordTests
{
    [Fact]
    public void EventIds_FollowTheRecordsTime_SoTheStoresUniqueIndexGrowsAtItsEnd()
    {
        var earlier = new AuditRecord { OccurredAtMs = 1_764_000_000_000, Type = "traffic", Outcome = "denied 403" };
        var later = new AuditRecord { OccurredAtMs = 1_764_000_000_001, Type = "traffic", Outcome = "denied 403" };
        var sameMillisecond = new AuditRecord { OccurredAtMs = 1_764_000_000_001, Type = "traffic", Outcome = "denied 403" };

        Assert.Equal(7, earlier.EventId.Version);
        Assert.True(string.CompareOrdinal(earlier.EventId.ToString("D"), later.EventId.ToString("D")) < 0, "stored as text, so text order must follow time");
        Assert.NotEqual(later.EventId, sameMillisecond.EventId);
    }

    [Fact]
    public void EventIds_AreRfc9562Version7_CarryTheirMillisecond_AndDoNotRepeatAcrossThreads()
    {
        const long At = 1_764_000_000_123;
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(AuditEventIds.Next(At)); // more than one random buffer per thread
            }
        });

        Assert.Equal(20_000, ids.Distinct().Count());
        foreach (var id in ids.Take(100))
        {
            var bytes = id.ToByteArray(bigEndian: true);
            Assert.Equal(7, id.Version);
            Assert.Equal(0x80, bytes[8] & 0xC0); // variant 10xx
            Assert.Equal(At, (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16);
        }
    }

    [Fact]
    public void AnExplicitEventId_IsKept_WhicheverOrderTheInitialiserUses()
    {
        var id = Guid.NewGuid();

        var idFirst = new AuditRecord { EventId = id, OccurredAtMs = 1_764_000_000_000, Type = "traffic", Outcome = "ok" };
        var idLast = new AuditRecord { OccurredAtMs = 1_764_000_000_000, Type = "traffic", Outcome = "ok", EventId = id };
        var roundTripped = System.Text.Json.JsonSerializer.Deserialize<AuditRecord>(System.Text.Json.JsonSerializer.Serialize(idFirst))!;

        Assert.Equal(id, idFirst.EventId);
        Assert.Equal(id, idLast.EventId);
        Assert.Equal(id, roundTripped.EventId); // the spool's replay de-duplicates by this id
    }
}
