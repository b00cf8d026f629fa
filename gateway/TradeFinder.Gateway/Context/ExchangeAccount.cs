using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// One exchange account: a mode's upstream and the key group that signs for it. Bots sharing an account share its
/// positions, leverage and margin settings, so ownership and exposure are kept per account.
/// </summary>
internal readonly record struct ExchangeAccount(TradingMode Mode, string Group)
{
    public const string DefaultGroup = "default";

    public static ExchangeAccount Of(TradingMode mode, string? group) => new(mode, string.IsNullOrEmpty(group) ? DefaultGroup : group);

    public override string ToString() => $"{Mode.ToConfigValue()}/{Group}";
}
