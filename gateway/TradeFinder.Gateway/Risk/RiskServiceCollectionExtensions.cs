using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TradeFinder.Gateway.Risk;

internal static class RiskServiceCollectionExtensions
{
    /// <summary>Per-bot limits on the bot's own exposure, with the exchange look-ups they need cached and charged to the bot.</summary>
    public static IServiceCollection AddGatewayRisk(this IServiceCollection services)
    {
        services.TryAddSingleton<RiskLookups>();
        return services;
    }
}
