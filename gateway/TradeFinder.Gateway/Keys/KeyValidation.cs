namespace TradeFinder.Gateway.Keys;

/// <summary>The outcome of checking a key with the exchange (restrictions, then a signed read).</summary>
internal sealed record KeyValidation(bool Ok, DateTimeOffset At, string Summary, IReadOnlyList<string> Warnings)
{
    /// <summary>The exchange could not be asked (unreachable, or backing off): neither passed nor refused.</summary>
    public bool Unverified { get; init; }

    /// <summary>Which key was checked.</summary>
    public string Fingerprint { get; init; } = "";
}
