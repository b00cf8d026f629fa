using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Routing;

internal static class RoutingServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayRouting(this IServiceCollection services, IConfiguration configuration) =>
        services.AddValidatedOptions<RequestOptions, RequestOptionsValidator>(o => o.Bind(configuration.GetSection(RequestOptions.Section)));
}
