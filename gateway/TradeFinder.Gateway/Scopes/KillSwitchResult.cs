namespace TradeFinder.Gateway.Scopes;

internal sealed record KillSwitchResult(bool Ok, string Message, int Canceled)
{
    /// <summary>Orders (bot:clientOrderId) whose cancel still failed after the retries.</summary>
    public IReadOnlyList<string> StillOpen { get; init; } = [];
}
