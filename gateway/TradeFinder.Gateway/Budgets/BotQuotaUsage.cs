namespace TradeFinder.Gateway.Budgets;

/// <summary>One bot's use of its own quota in the exchange's current windows: weight this minute, orders these 10 s.</summary>
internal sealed record BotQuotaUsage(string Bot, int Weight, int WeightQuota, int Orders10Seconds, int OrdersQuota);
