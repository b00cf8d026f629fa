namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// Whether a request may spend budget now; if not, why and when to retry. <paramref name="SharedStoreDown"/>: refused
/// because the replicas' shared budget cannot be reached to check it (answered 503, not 429: no limit was reached).
/// </summary>
internal readonly record struct BudgetDecision(bool Allowed, string? Reason, TimeSpan RetryAfter, bool SharedStoreDown = false)
{
    public static readonly BudgetDecision Allow = new(true, null, TimeSpan.Zero);
}
