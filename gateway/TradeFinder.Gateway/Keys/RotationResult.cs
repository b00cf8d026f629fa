namespace TradeFinder.Gateway.Keys;

internal sealed record RotationResult(string KeySet, bool Ok, string Outcome, IReadOnlyList<RotationStep> Steps);
