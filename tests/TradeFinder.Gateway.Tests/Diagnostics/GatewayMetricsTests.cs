using System.Diagnostics.Metrics;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Tests.Diagnostics;

public sealed class GatewayMetricsTests
{
    [Fact]
    public void Denials_AreCountedPerBotAndReason_OnTheGatewayMeter()
    {
        using var metrics = new GatewayMetrics();
        var seen = new List<(long Value, string? Bot, string? Reason)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name == "tradefinder.gateway.denials")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            seen.Add((value, all.FirstOrDefault(t => t.Key == "bot").Value as string, all.FirstOrDefault(t => t.Key == "reason").Value as string));
        });
        listener.Start();

        metrics.Denied("alpha", "scope");
        metrics.Denied("beta", "budget");

        Assert.Equal([(1L, "alpha", "scope"), (1L, "beta", "budget")], seen);
    }

    [Fact]
    public void BreakerState_IsKeptPerBreaker()
    {
        using var metrics = new GatewayMetrics();

        metrics.BreakerChanged("paper/account", "open");
        metrics.BreakerChanged("paper/trading", "half_open");
        metrics.BreakerChanged("paper/account", "closed");

        Assert.Equal(0, metrics.BreakerStates["paper/account"]);
        Assert.Equal(1, metrics.BreakerStates["paper/trading"]);
    }
}
