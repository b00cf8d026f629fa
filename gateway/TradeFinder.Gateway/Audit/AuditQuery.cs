namespace TradeFinder.Gateway.Audit;

internal sealed record AuditQuery(string? Bot = null, string? Type = null, long? FromMs = null, long? ToMs = null, long? AfterSequence = null, int Limit = 100);
