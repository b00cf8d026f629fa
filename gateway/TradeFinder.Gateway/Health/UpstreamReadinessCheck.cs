using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Health;

/// <summary>Ready only when every configured upstream answers <c>/fapi/v1/ping</c>.</summary>
internal sealed class UpstreamReadinessCheck(UpstreamDirectory upstreams, IHttpClientFactory httpClients) : IHealthCheck
{
    public const string HttpClientName = "upstream-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var failed = new List<string>();
        foreach (var (mode, baseAddress) in upstreams.Upstreams)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(baseAddress, UsdmPaths.Ping), cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    failed.Add($"{mode.ToConfigValue()}: HTTP {(int)response.StatusCode}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failed.Add($"{mode.ToConfigValue()}: {ex.GetType().Name}");
            }
        }

        return failed.Count == 0
            ? HealthCheckResult.Healthy("All upstreams answer.")
            : HealthCheckResult.Unhealthy("Upstream unavailable: " + string.Join("; ", failed));
    }
}
