using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Paper;

internal static class PaperServiceCollectionExtensions
{
    /// <summary>The hosted paper exchange, owned by the container so disposing the gateway stops it.</summary>
    public static IServiceCollection AddGatewayPaper(this IServiceCollection services, IConfiguration configuration, PaperExchangeServer server)
    {
        services.AddOptions<PaperOptions>().Bind(configuration.GetSection(PaperOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaperOptions>, PaperOptionsValidator>());
        services.AddSingleton(_ => new HostedPaperExchange(server));
        services.AddHostedService(sp => sp.GetRequiredService<HostedPaperExchange>());
        return services;
    }
}
