namespace TradeFinder.Gateway.Audit;

internal sealed record AuditVerification(bool Valid, long Checked, string? Problem);
