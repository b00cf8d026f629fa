using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Requests with an unknown, suspended or revoked certificate, per source over a sliding minute: past
/// <see cref="AnomalyThresholds"/>' limit it is someone holding a certificate they should not (a revoked bot still running,
/// a stolen or forged certificate), reported as <c>unknown_certificate</c>.
/// </summary>
internal sealed class CertificateDetector(GatewayMetrics metrics, AnomalyMonitor monitor, AnomalySettings settings, TimeProvider time) : IHostedService
{
    public const string Kind = "unknown_certificate";
    private readonly SlidingCounts<string> _sources = new(TimeSpan.FromMinutes(1));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.AuthenticationRefused += Observe;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        metrics.AuthenticationRefused -= Observe;
        return Task.CompletedTask;
    }

    private void Observe(string source, string reason)
    {
        var count = _sources.Add(source, time.GetUtcNow());
        if (count >= settings.Current.UnknownCertificatesPerMinute)
        {
            monitor.Report(Kind, AnomalySeverity.Warning, null, null, $"{count} requests refused at authentication in a minute from certificate {source}: {reason}");
        }
    }
}
