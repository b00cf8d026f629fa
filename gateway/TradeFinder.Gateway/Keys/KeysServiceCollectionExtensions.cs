using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

internal static class KeysServiceCollectionExtensions
{
    /// <summary>
    /// Key custody: the ring loaded at start, rotation and the source watcher. The watcher checks keys with the
    /// exchange (an <see cref="IKeyValidator"/>) before they sign, so register it after the clock sync.
    /// </summary>
    public static IServiceCollection AddGatewayKeys(this IServiceCollection services, IConfiguration configuration, KeyRing ring)
    {
        services.AddValidatedOptions<KeysOptions, KeysOptionsValidator, KeysOptionsCustomValidator>(o => o.Bind(configuration.GetSection(KeysOptions.Section)));
        services.AddSingleton(_ => ring); // created by a factory, so the container disposes it (and its providers)
        services.AddSingleton<KeyRotation>();
        services.AddSingleton<StandbyPromoter>();
        services.AddSingleton<KeyWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyWatcher>());
        services.AddHostedService<SharedKeyService>(); // replicas: follow each other's rotations (idle on a single node)
        return services;
    }
}
