namespace TradeFinder.Gateway.Budgets;

/// <summary>What has been spent in the current windows (for metrics and tests).</summary>
internal sealed record BudgetUsage(ExchangeLimits Limits, int Weight, int Orders10Seconds, int Orders1Minute);
