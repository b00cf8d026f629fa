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
