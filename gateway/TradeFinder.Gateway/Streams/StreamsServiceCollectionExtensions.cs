using Microsoft.Extensions.DependencyInjection.Extensions;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Streams;

internal static class StreamsServiceCollectionExtensions
{
    /// <summary>
    /// Streams: the gateway owns each account's listen key and fans the events out to bots, each seeing its own; market
    /// streams are subscribed once upstream and fanned out to every bot reading them.
    /// </summary>
    public static IServiceCollection AddGatewayStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StreamsOptions, StreamsOptionsValidator>(o => o.Bind(configuration.GetSection(StreamsOptions.Section)));
        services.TryAddSingleton<StreamEndpoints>();
        services.TryAddSingleton<VirtualListenKeys>();
        services.TryAddSingleton<UserEventViews>();
        services.TryAddSingleton<UserStreams>();
        services.AddHostedService(sp => sp.GetRequiredService<UserStreams>());
        services.TryAddSingleton<MarketStreamHub>();
        services.AddHostedService(sp => sp.GetRequiredService<MarketStreamHub>());
        return services;
    }
}
