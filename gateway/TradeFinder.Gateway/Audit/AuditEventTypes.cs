namespace TradeFinder.Gateway.Audit;

/// <summary>Audit event types.</summary>
internal static class AuditEventTypes
{
    public const string Traffic = "traffic";

    /// <summary>A trade request handed to the exchange; its outcome follows as a <see cref="Traffic"/> record with the same trace id.</summary>
    public const string Sent = "sent";

    public const string AuthFailure = "auth_failure";
    public const string ScopeDenied = "scope_denied";
    public const string ValidationError = "validation_error";
    public const string RateLimited = "rate_limited";
    public const string KeyEvent = "key";
    public const string Halt = "halt";
    public const string Anomaly = "anomaly";
    public const string Admin = "admin";
}
