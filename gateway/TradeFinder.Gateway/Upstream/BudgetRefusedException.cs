namespace TradeFinder.Gateway.Upstream;

/// <summary>A look-up the gateway would make for a bot does not fit the bot's quota or the shared budget; nothing was sent.</summary>
internal sealed class BudgetRefusedException(string message, TimeSpan retryAfter) : HttpRequestException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
