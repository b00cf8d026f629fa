namespace TradeFinder.Gateway.Scopes;

internal sealed record KillSwitchResult(bool Ok, string Message, int Canceled);
