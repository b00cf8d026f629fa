using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeFinder.Gateway.Certificates;

namespace TradeFinder.Gateway.Health;

/// <summary>Ready only while the server certificate is valid and chains to the CA bots trust.</summary>
internal sealed class CertificateReadinessCheck(GatewayTls tls, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var server = tls.ServerCertificate;
        if (now < server.NotBefore.ToUniversalTime() || now > server.NotAfter.ToUniversalTime())
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The server certificate is outside its validity period."));
        }

        return Task.FromResult(tls.ServerChainsToCa
            ? HealthCheckResult.Healthy($"Server certificate valid until {server.NotAfter.ToUniversalTime():O}.")
            : HealthCheckResult.Unhealthy("The server certificate does not chain to the configured CA."));
    }
}
