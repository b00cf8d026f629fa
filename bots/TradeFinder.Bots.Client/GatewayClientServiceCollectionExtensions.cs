using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Bots.Client;

/// <summary>Registers <see cref="IGatewayClient"/> with validated options.</summary>
public static class GatewayClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway client bound to the <c>TradeFinderGateway</c> section. Options are validated at start,
    /// and start fails if exchange keys are present in the environment (bots must hold none).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Configuration containing the <see cref="GatewayClientOptions.Section"/> section.</param>
    /// <returns>The HTTP client builder, to add handlers.</returns>
    public static IHttpClientBuilder AddTradeFinderGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayClientOptions>()
            .Bind(configuration.GetSection(GatewayClientOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.PfxPath) || (!string.IsNullOrWhiteSpace(o.CertificatePath) && !string.IsNullOrWhiteSpace(o.KeyPath)),
                "Set CertificatePath and KeyPath (PEM) or PfxPath.")
            .ValidateOnStart();
        services.AddOptions<GatewayClientOptions>()
            .Validate(_ => KeylessGuard.FindKeyVariables(Environment.GetEnvironmentVariables()).Count == 0,
                KeylessGuard.Message(KeylessGuard.FindKeyVariables(Environment.GetEnvironmentVariables())));
        services.TryAddSingleton(TimeProvider.System);
        return services.AddHttpClient<IGatewayClient, GatewayClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
                http.BaseAddress = options.BaseAddress;
                http.Timeout = options.Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => GatewayHttpHandler.Create(sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value));
    }
}
