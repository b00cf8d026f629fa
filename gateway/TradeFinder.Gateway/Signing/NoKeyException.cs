using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Signing;

/// <summary>No usable key for a mode's upstream and key group (none configured, not verified, or rotated away repeatedly).</summary>
internal sealed class NoKeyException(TradingMode mode, KeyPurpose purpose = KeyPurpose.Trade, string? group = null) : Exception(group is null or KeySet.DefaultGroup
    ? $"No exchange key is available for the {mode.ToConfigValue()} upstream."
    : $"No {purpose.ToString().ToLowerInvariant()} key is available for key group '{group}' on the {mode.ToConfigValue()} upstream: configure a key set with Group={group} (Gateway:Keys:Sets); other groups' keys are never used.");
