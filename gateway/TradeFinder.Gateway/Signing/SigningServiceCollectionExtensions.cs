using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Signing;

internal static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddGatewaySigning(this IServiceCollection services, IConfiguration configuration) =>
        services.AddValidatedOptions<SigningOptions, SigningOptionsValidator>(configuration, SigningOptions.Section);
}
