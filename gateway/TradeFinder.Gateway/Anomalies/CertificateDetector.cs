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
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sources = new(StringComparer.Ordinal);

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
        var now = time.GetUtcNow();
        int count;
        lock (_gate)
        {
            if (!_sources.TryGetValue(source, out var times))
            {
                if (_sources.Count > 10_000)
                {
                    _sources.Clear(); // a flood of distinct sources must not grow this without bound
                }

                times = new Queue<DateTimeOffset>();
                _sources[source] = times;
            }

            times.Enqueue(now);
            while (now - times.Peek() > Window)
            {
                times.Dequeue();
            }

            count = times.Count;
        }

        if (count >= settings.Current.UnknownCertificatesPerMinute)
        {
            monitor.Report(Kind, AnomalySeverity.Warning, null, null, $"{count} requests refused at authentication in a minute from certificate {source}: {reason}");
        }
    }
}
