using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Certificates;

internal static class CertificatesServiceCollectionExtensions
{
    /// <summary>The served TLS material (the CA's public certificate only) and the handshake check of client certificates.</summary>
    public static IServiceCollection AddGatewayCertificates(this IServiceCollection services, IConfiguration configuration, GatewayTls tls)
    {
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>());
        services.AddSingleton(tls);
        services.TryAddSingleton<HandshakeAuditor>();
        return services;
    }
}
