using Microsoft.Extensions.DependencyInjection.Extensions;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Streams;

internal static class StreamsServiceCollectionExtensions
{
    /// <summary>User-data streams: the gateway owns each account's listen key and fans the events out to bots, each seeing its own.</summary>
    public static IServiceCollection AddGatewayStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StreamsOptions, StreamsOptionsValidator>(configuration, StreamsOptions.Section);
        services.TryAddSingleton<StreamEndpoints>();
        services.TryAddSingleton<VirtualListenKeys>();
        services.TryAddSingleton<UserEventViews>();
        services.TryAddSingleton<UserStreams>();
        services.AddHostedService(sp => sp.GetRequiredService<UserStreams>());
        return services;
    }
}
