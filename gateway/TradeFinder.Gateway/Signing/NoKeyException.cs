using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Signing;

/// <summary>No usable key for a mode's upstream (none configured, or rotated away repeatedly).</summary>
internal sealed class NoKeyException(TradingMode mode) : Exception($"No exchange key is available for the {mode.ToConfigValue()} upstream.");
