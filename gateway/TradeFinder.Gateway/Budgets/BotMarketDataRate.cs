using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Budgets;

/// <summary>Each bot's local rate of shared market-data requests (<see cref="BudgetOptions.PerBotMarketDataRequestsPerSecond"/>).</summary>
internal sealed class BotMarketDataRate(IOptions<BudgetOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _bots = new(StringComparer.Ordinal);

    public int PerSecond => options.Value.PerBotMarketDataRequestsPerSecond;

    public bool TryTake(string bot) => _bots.GetOrAdd(bot, _ => new TokenBucket(PerSecond, time)).TryTake();
}
