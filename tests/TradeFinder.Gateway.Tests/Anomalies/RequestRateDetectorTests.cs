using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Tests.Anomalies;

public sealed class RequestRateDetectorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly GatewayMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    private (RequestRateDetector Detector, AnomalyMonitor Monitor, AnomalySettings Settings) Create()
    {
        var options = Options.Create(new AnomaliesOptions());
        var settings = new AnomalySettings(options);
        var time = TimeProvider.System;
        // Only what a report records synchronously is looked at; the response (audit, webhook) needs the host.
        var monitor = new AnomalyMonitor(null!, null!, null!, _metrics, new StaticOptionsMonitor(options.Value), settings, time, NullLogger<AnomalyMonitor>.Instance);
        return (new RequestRateDetector(new BotActivity(time), settings, monitor), monitor, settings);
    }

    /// <summary>A steady <paramref name="perSecond"/> for <paramref name="seconds"/> from <paramref name="from"/>.</summary>
    private static DateTimeOffset Steady(RequestRateDetector detector, string bot, DateTimeOffset from, int seconds, int perSecond)
    {
        for (var s = 0; s < seconds; s++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                detector.Observe(bot, from.AddSeconds(s).AddMilliseconds(i * 1000.0 / perSecond));
            }
        }

        return from.AddSeconds(seconds);
    }

    [Fact]
    public void ABotBurstingFarAboveItsOwnBaseline_IsReportedOncePerBurst()
    {
        var (detector, monitor, _) = Create();
        var at = Steady(detector, "steady", Start, RequestRateDetector.WarmUpBuckets * RequestRateDetector.BucketSeconds, 5); // 300/min
        at = Steady(detector, "steady", at, 30, 6);
        Assert.Empty(monitor.Recent);

        Steady(detector, "steady", at, 10, 60); // 3,600/min: 12x
        var anomaly = Assert.Single(monitor.Recent);
        Assert.Equal((RequestRateDetector.Kind, AnomalySeverity.Warning, "steady"), (anomaly.Kind, anomaly.Severity, anomaly.Bot));
        Assert.Contains("over 10x its usual 3", anomaly.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void ABusyBotStayingAtItsRate_AndANewBotWithoutHistory_AreNotReported()
    {
        var (detector, monitor, _) = Create();
        Steady(detector, "busy", Start, 600, 80);
        Steady(detector, "newcomer", Start, 60, 200); // bursts at once, but has no baseline yet

        Assert.Empty(monitor.Recent);
    }

    [Fact]
    public void BelowTheMinimumRate_NoBurstCounts_AndTheMinimumChangesAtRunTime()
    {
        var (detector, monitor, settings) = Create();
        var at = Start;
        for (var i = 0; i < 40; i++)
        {
            detector.Observe("idle", at); // one request every ten seconds: 6/min
            at = at.AddSeconds(RequestRateDetector.BucketSeconds);
        }

        at = Steady(detector, "idle", at, 10, 5); // 300/min, 50x its habit, but under the 600/min floor
        Assert.Empty(monitor.Recent);

        Assert.Null(settings.TryChange(new AnomalyThresholdsChange(null, null, null, null, null, null, RequestRateMinimumPerMinute: 120)));
        Steady(detector, "idle", at, 10, 5);
        Assert.Single(monitor.Recent);
        Assert.NotNull(settings.TryChange(new AnomalyThresholdsChange(null, null, null, null, null, null, RequestRateFactor: 1)));
    }
}
