namespace TradeFinder.Gateway.Modes;

internal static class ModesServiceCollectionExtensions
{
    /// <summary>The upstream of each mode this gateway serves, decided at start.</summary>
    public static IServiceCollection AddGatewayModes(this IServiceCollection services, UpstreamDirectory upstreams) =>
        services.AddSingleton(upstreams);
}
