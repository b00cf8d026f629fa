namespace TradeFinder.Gateway.Identity;

/// <summary>A bot's scopes and limits as configured under <c>Gateway:Bots:NAME</c>.</summary>
internal sealed class ConfiguredBot
{
    public List<string>? Scopes { get; set; }

    public RiskLimits? Limits { get; set; }

    /// <summary>Key set group (<c>Gateway:Keys:Sets:*:Group</c>) that signs for this bot.</summary>
    public string? KeyGroup { get; set; }

    /// <summary>Symbols only this bot may trade on its account.</summary>
    public List<string>? ExclusiveSymbols { get; set; }

    /// <summary>No default limits: only <see cref="Limits"/> apply. Must be said explicitly.</summary>
    public bool Unlimited { get; set; }
}
