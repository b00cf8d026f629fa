using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>The authenticated bot behind a request and its effective policy, set by <see cref="BotAuthenticationMiddleware"/>.</summary>
internal sealed record BotIdentity(string Name, TradingMode Mode)
{
    public IReadOnlySet<string> Scopes { get; init; } = new HashSet<string>();

    public RiskLimits Limits { get; init; } = new();

    /// <summary>The stricter of the bot's own state and the gateway-wide one.</summary>
    public TradingState State { get; init; } = TradingState.Active;

    /// <summary>Which key set group signs for this bot; null means the default group.</summary>
    public string? KeyGroup { get; init; }

    /// <summary>The exchange account this bot's requests go to (its mode's upstream, its key group's keys).</summary>
    public ExchangeAccount Account => ExchangeAccount.Of(Mode, KeyGroup);

    /// <summary>Symbols only this bot may trade on its account.</summary>
    public IReadOnlySet<string> ExclusiveSymbols { get; init; } = new HashSet<string>();
}
