using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Health;

/// <summary>
/// Ready only when every configured upstream answers <c>/fapi/v1/ping</c>. The ops port is unauthenticated, so
/// the answer comes from the last probe: at most one ping per upstream per <see cref="HealthOptions.ReadinessCacheSeconds"/>
/// however often <c>/readyz</c> is asked, none while the upstream asks the gateway to back off, and each one
/// charged to the shared weight budget like the gateway's other calls (and skipped when the budget says no).
/// </summary>
internal sealed class UpstreamReadinessCheck(
    UpstreamDirectory upstreams, IHttpClientFactory httpClients, ExchangeBudgets budgets, UpstreamBackoff backoff, TimeProvider time, IOptions<HealthOptions> options)
    : IHealthCheck, IDisposable
{
    public const string HttpClientName = "upstream-health";
    private readonly SemaphoreSlim _probing = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxAge = TimeSpan.FromSeconds(options.Value.ReadinessCacheSeconds);
        if (_last is { } fresh && time.GetUtcNow() - fresh.At < maxAge)
        {
            return fresh.Result;
        }

        await _probing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have probed while this one waited.
            if (_last is { } probed && time.GetUtcNow() - probed.At < maxAge)
            {
                return probed.Result;
            }

            var result = await ProbeAsync(cancellationToken).ConfigureAwait(false);
            _last = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }

    public void Dispose() => _probing.Dispose();

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var failed = new List<string>();
        var weight = UsdmEndpoints.Find("GET", UsdmPaths.Ping)!.Weight;
        foreach (var (mode, baseAddress) in upstreams.Upstreams)
        {
            if (backoff.Remaining(mode) is var wait && wait > TimeSpan.Zero)
            {
                failed.Add($"{mode.ToConfigValue()}: backing off for {Math.Ceiling(wait.TotalSeconds)} s");
                continue;
            }

            if (!(await budgets.TryChargeAsync(mode, null, RequestPriority.MarketData, weight, 0).ConfigureAwait(false)).Allowed)
            {
                failed.Add($"{mode.ToConfigValue()}: not probed (weight budget)");
                continue;
            }

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
