using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>Who may connect (bot and admin registries, in files or shared by replicas) and each bot's effective scopes, limits and state.</summary>
    public static IServiceCollection AddGatewayIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotsOptions>().Bind(configuration.GetSection(BotsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotsOptions>, BotsOptionsValidator>());
        var defaults = RiskLimits.Defaults.With(configuration.GetSection(RiskLimits.DefaultsSection).Get<RiskLimits>());
        if (BotsOptionsValidator.LimitProblems(defaults).ToList() is { Count: > 0 } problems)
        {
            throw new Context.GatewayStartupException($"{RiskLimits.DefaultsSection}: " + string.Join(" ", problems));
        }

        services.TryAddSingleton(sp => new BotPolicies(sp.GetRequiredService<IOptions<BotsOptions>>().Value, defaults));
        services.TryAddSingleton<SharedAccounts>();
        services.TryAddSingleton(_ => RegistryStorages.Open(configuration));
        services.TryAddSingleton(sp => new BotRegistry(sp.GetRequiredService<RegistryStorages>().Bots));
        services.AddHostedService<RegistryListener>();
        services.TryAddSingleton<RefusalThrottle>();
        services.TryAddSingleton<BotActivity>();
        services.TryAddSingleton(sp => new AdminRegistry(sp.GetRequiredService<RegistryStorages>().Admins));
        return services;
    }
}
