using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Dashboard;

/// <summary>Feeds the meter the facts other capabilities hold (budgets, bots, keys), read at scrape time.</summary>
internal sealed class GatewayFacts(GatewayMetrics metrics, ExchangeBudgets budgets, UpstreamDirectory upstreams, BotRegistry registry, BotActivity activity, KeyRing keys, TimeProvider time)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveFacts(
            () => upstreams.Upstreams.Keys.Select(mode => (Mode: mode, Usage: budgets.Usage(mode)))
                .Select(m => (m.Mode.ToConfigValue(), m.Usage.Weight, m.Usage.Limits.WeightPerMinute, m.Usage.Orders10Seconds, m.Usage.Limits.OrdersPer10Seconds)),
            () => registry.All().Select(b => (b.Name, b.Status != BotStatus.Active ? 2 : (int)MostRestrictive(b.State, registry.GlobalState),
                activity.LastSeen(b.Name) is { } seen ? (time.GetUtcNow() - seen).TotalSeconds : (double?)null)),
            () => keys.Slots.Select(s => (s.Set.Name, (time.GetUtcNow() - s.Active.LoadedAt).TotalSeconds, s.LastValidation?.Ok)),
            () => upstreams.Upstreams.Keys.SelectMany(mode => budgets.BotUsage(mode)
                .Select(q => (mode.ToConfigValue(), q.Bot, q.Weight, q.WeightQuota, q.Orders10Seconds, q.OrdersQuota))));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static TradingState MostRestrictive(TradingState bot, TradingState gateway) => bot > gateway ? bot : gateway;
}
