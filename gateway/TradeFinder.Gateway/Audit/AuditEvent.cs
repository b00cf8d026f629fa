namespace TradeFinder.Gateway.Audit;

/// <summary>A stored, chained audit row.</summary>
internal sealed record AuditEvent(
    long Sequence, Guid EventId, long OccurredAtMs, string Type, string? Bot, string? Endpoint, string Outcome, string Details, string PrevHash, string Hash);
