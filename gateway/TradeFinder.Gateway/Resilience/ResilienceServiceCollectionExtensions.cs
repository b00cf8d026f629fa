using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Resilience;

internal static class ResilienceServiceCollectionExtensions
{
    /// <summary>Breakers and timeouts per (mode, route class), and the handler that applies them to upstream calls.</summary>
    public static IServiceCollection AddGatewayResilience(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ResilienceOptions, ResilienceOptionsValidator>(o => o.Bind(configuration.GetSection(ResilienceOptions.Section)));
        services.AddSingleton<UpstreamResilience>();
        services.AddTransient<ResilienceHandler>();
        return services;
    }
}
