using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TradeFinder.Gateway.Clock;

internal static class ClockServiceCollectionExtensions
{
    /// <summary>Exchange time per upstream; <c>ClockSyncService</c> keeps its offsets measured.</summary>
    public static IServiceCollection AddGatewayClock(this IServiceCollection services, TimeProvider time)
    {
        services.TryAddSingleton(time);
        services.TryAddSingleton<ExchangeClock>();
        return services;
    }
}
