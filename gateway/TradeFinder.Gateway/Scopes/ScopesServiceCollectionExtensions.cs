using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TradeFinder.Gateway.Scopes;

internal static class ScopesServiceCollectionExtensions
{
    /// <summary>The kill switch: trading states per bot and gateway-wide, with cancel-open.</summary>
    public static IServiceCollection AddGatewayScopes(this IServiceCollection services)
    {
        services.TryAddSingleton<KillSwitch>();
        return services;
    }
}
