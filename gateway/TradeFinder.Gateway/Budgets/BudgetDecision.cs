namespace TradeFinder.Gateway.Budgets;

/// <summary>Whether a request may spend budget now; if not, why and when to retry.</summary>
internal readonly record struct BudgetDecision(bool Allowed, string? Reason, TimeSpan RetryAfter)
{
    public static readonly BudgetDecision Allow = new(true, null, TimeSpan.Zero);
}
