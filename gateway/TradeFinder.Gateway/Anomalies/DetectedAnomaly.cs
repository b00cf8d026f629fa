namespace TradeFinder.Gateway.Anomalies;

/// <summary>How bad an anomaly is: critical ones make the gateway act (quarantine, halt) as well as alert.</summary>
internal enum AnomalySeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>Something an SRE must know about: what, how bad, whose, the evidence, when, and what the gateway did.</summary>
internal sealed record DetectedAnomaly(string Kind, AnomalySeverity Severity, string? Bot, string? Account, string Evidence, long AtMs)
{
    /// <summary>The gateway's response (quarantine, halt), or null.</summary>
    public string? Action { get; init; }

    /// <summary>Reports of the same incident folded into this one during its cool-down.</summary>
    public int Repeats { get; set; }
}
