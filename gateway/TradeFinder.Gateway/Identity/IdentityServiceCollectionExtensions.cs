using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>Who may connect (bot and admin registries) and each bot's effective scopes, limits and state.</summary>
    public static IServiceCollection AddGatewayIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotsOptions>().Bind(configuration.GetSection(BotsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotsOptions>, BotsOptionsValidator>());
        services.TryAddSingleton(sp => new BotPolicies(sp.GetRequiredService<IOptions<BotsOptions>>().Value));
        services.TryAddSingleton<BotRegistry>();
        services.TryAddSingleton<RefusalThrottle>();
        services.TryAddSingleton<AdminRegistry>();
        return services;
    }
}
