using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Resilience;

namespace TradeFinder.Gateway.MarketData;

internal static class MarketDataServiceCollectionExtensions
{
    /// <summary>One upstream call for identical public market-data requests, through the market-data breaker.</summary>
    public static IServiceCollection AddGatewayMarketData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MarketDataOptions, MarketDataOptionsValidator>(o => o.Bind(configuration.GetSection(MarketDataOptions.Section)));
        services.AddHttpClient(MarketDataCache.HttpClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<MarketDataOptions>>().Value.TimeoutSeconds))
            .AddHttpMessageHandler<ResilienceHandler>()
            .LockedDown(configuration);
        services.AddSingleton<MarketDataCache>();
        return services;
    }
}
