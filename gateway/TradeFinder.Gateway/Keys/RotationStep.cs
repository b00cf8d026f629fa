namespace TradeFinder.Gateway.Keys;

internal sealed record RotationStep(string Step, bool Ok, string Detail);
