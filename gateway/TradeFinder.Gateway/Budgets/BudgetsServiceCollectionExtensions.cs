using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Budgets;

internal static class BudgetsServiceCollectionExtensions
{
    /// <summary>
    /// The exchange's limits mirrored per upstream, the per-bot quotas, and the upstream's back-off orders; in Redis for
    /// all replicas when the cluster shares it.
    /// </summary>
    public static IServiceCollection AddGatewayBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BudgetOptions, BudgetOptionsValidator>(o => o.Bind(configuration.GetSection(BudgetOptions.Section)));
        if (configuration.SharesRedis())
        {
            services.AddSingleton<RedisBudgetLedger>();
        }

        services.AddSingleton<ExchangeBudgets>();
        services.AddSingleton<UpstreamBackoff>();
        services.AddSingleton<BotMarketDataRate>();
        return services;
    }
}
