using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Tests.Anomalies;

public sealed class HoursDetectorTests : IDisposable
{
    private readonly GatewayMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    private (HoursDetector Detector, AnomalyMonitor Monitor) Create(TimeProvider time)
    {
        var options = Options.Create(new AnomaliesOptions());
        // Only what a report records synchronously is looked at; the response (audit, webhook) needs the host.
        var monitor = new AnomalyMonitor(null!, null!, null!, _metrics, new StaticOptionsMonitor(options.Value), new AnomalySettings(options), time, NullLogger<AnomalyMonitor>.Instance);
        return (new HoursDetector(new BotActivity(time), monitor), monitor);
    }

    [Fact]
    public void ABotActiveAtAnHourItNeverUses_IsReportedOnce_ItsUsualHoursAreNot()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var (detector, monitor) = Create(time);
        for (var i = 0; i < HoursDetector.History; i++)
        {
            detector.Observe("nine-to-five", time.GetUtcNow().AddMinutes(i % 480)); // 09:00–16:59 UTC
        }

        detector.Observe("nine-to-five", new DateTimeOffset(2026, 12, 2, 10, 30, 0, TimeSpan.Zero));
        Assert.Empty(monitor.Recent);

        detector.Observe("nine-to-five", new DateTimeOffset(2026, 12, 2, 3, 12, 0, TimeSpan.Zero));
        detector.Observe("nine-to-five", new DateTimeOffset(2026, 12, 2, 3, 13, 0, TimeSpan.Zero));
        var anomaly = Assert.Single(monitor.Recent);
        Assert.Equal((HoursDetector.Kind, AnomalySeverity.Info, "nine-to-five"), (anomaly.Kind, anomaly.Severity, anomaly.Bot));
        Assert.Contains("03:00 UTC", anomaly.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void ABotWithoutAHistory_IsNotJudged()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var (detector, monitor) = Create(time);
        detector.Observe("new", time.GetUtcNow());
        detector.Observe("new", time.GetUtcNow().AddHours(12));

        Assert.Empty(monitor.Recent);
    }
}
