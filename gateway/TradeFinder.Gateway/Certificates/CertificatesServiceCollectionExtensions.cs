using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Certificates;

internal static class CertificatesServiceCollectionExtensions
{
    /// <summary>The CA, the served TLS material and the handshake check of client certificates.</summary>
    public static IServiceCollection AddGatewayCertificates(this IServiceCollection services, IConfiguration configuration, GatewayTls tls, CertificateAuthority ca)
    {
        services.AddOptions<TlsOptions>().Bind(configuration.GetSection(TlsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>());
        services.AddSingleton(_ => ca); // a factory, so the container disposes it with the gateway
        services.AddSingleton(tls);
        services.TryAddSingleton<HandshakeAuditor>();
        return services;
    }
}
