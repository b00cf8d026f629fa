using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>A named key set: one key, bound to one mode's upstream, for one purpose and one bot group.</summary>
internal sealed record KeySet(string Name, TradingMode Mode, KeyPurpose Purpose, string Group)
{
    public const string DefaultGroup = "default";

    /// <summary>The set used when none are configured: the trading key of the gateway's mode, for every bot.</summary>
    public static KeySet DefaultFor(TradingMode mode) => new(mode.ToConfigValue(), mode, KeyPurpose.Trade, DefaultGroup);

    /// <summary>Where this set's standby key is read from: the same provider, under <c>{name}-standby</c>.</summary>
    public KeySet StandbySource => this with { Name = Name + "-standby" };

    public bool IsDefault => Purpose == KeyPurpose.Trade && Group == DefaultGroup && Name == Mode.ToConfigValue();
}
