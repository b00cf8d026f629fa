using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Effective policy of a bot: what an operator set at run time (registry) wins over configuration, which
/// wins over the default. The default is read-only (market and account data): trading is granted, never assumed,
/// and comes with the default limits unless an operator says the bot is unlimited.
/// </summary>
internal sealed class BotPolicies(IReadOnlyDictionary<string, ConfiguredBot> configured, RiskLimits? defaultLimits = null)
{
    public static readonly IReadOnlyList<string> DefaultScopes = [ScopeNames.MarketRead, ScopeNames.AccountRead];

    public static readonly IReadOnlySet<string> AllScopes = new HashSet<string>(
        [ScopeNames.MarketRead, ScopeNames.AccountRead, ScopeNames.Trade, ScopeNames.TradeLeverage, ScopeNames.TradeMargin, ScopeNames.TradeCountdown, ScopeNames.UserStream], StringComparer.Ordinal);

    // Records are immutable and replaced on every change, so the identity built for one can be reused.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<BotRecord, BotIdentity?[]> _resolved = [];

    public BotIdentity Resolve(BotRecord record, TradingState globalState)
    {
        var cache = _resolved.GetValue(record, _ => new BotIdentity?[3]);
        return cache[(int)globalState] ??= Build(record, globalState);
    }

    private BotIdentity Build(BotRecord record, TradingState globalState)
    {
        configured.TryGetValue(record.Name, out var fromConfig);
        var scopes = record.Scopes ?? fromConfig?.Scopes ?? DefaultScopes;
        var unlimited = record.Unlimited ?? fromConfig?.Unlimited ?? false;
        var limits = (unlimited ? new RiskLimits() : defaultLimits ?? RiskLimits.Defaults).With(fromConfig?.Limits).With(record.Limits);
        return new BotIdentity(record.Name, record.Mode)
        {
            Scopes = new HashSet<string>(scopes, StringComparer.Ordinal),
            Limits = limits,
            ExclusiveSymbols = new HashSet<string>(record.ExclusiveSymbols ?? fromConfig?.ExclusiveSymbols ?? [], StringComparer.Ordinal),
            State = (TradingState)Math.Max((int)record.State, (int)globalState),
            KeyGroup = record.KeyGroup ?? fromConfig?.KeyGroup,
        };
    }
}
