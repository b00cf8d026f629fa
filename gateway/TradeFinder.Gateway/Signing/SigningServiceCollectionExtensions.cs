using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Signing;

internal static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddGatewaySigning(this IServiceCollection services, IConfiguration configuration) =>
        services.AddValidatedOptions<SigningOptions, SigningOptionsValidator>(o => o.Bind(configuration.GetSection(SigningOptions.Section)));
}
