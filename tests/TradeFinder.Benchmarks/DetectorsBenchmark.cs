using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Benchmarks;

/// <summary>
/// What the anomaly detectors add per request, in process: a refusal observed by the refusal detector, an accepted
/// order by the order-behaviour detector, any request by the hours and request-rate detectors (and the decision
/// counter), an order event by the quantitative-rules window — each against a plain call
/// with no detector listening. The monitor's response work (audit, webhook) runs only per incident, not per request.
/// </summary>
public static class DetectorsBenchmark
{
    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        var rows = new List<string> { "| measurement | µs per call |", "|---|---:|" };
        using var metrics = new GatewayMetrics();
        rows.Add($"| refusal counted, no detector | {Measure.Micro(() => { metrics.Denied("bot1", "scope"); return 0; }, 1_000_000):F3} |");
        rows.Add($"| accepted order, no detector | {Measure.Micro(() => { metrics.Accepted("bot1", "BTCUSDT", 0.01m); return 0; }, 1_000_000):F3} |");

        var options = Options.Create(new AnomaliesOptions { ProbingRefusalsPerMinute = int.MaxValue / 4, RateLimitedPerMinute = int.MaxValue / 4 });
        var settings = new AnomalySettings(options);
        var monitor = new AnomalyMonitor(null!, null!, null!, metrics, new OptionsMonitor(options.Value), settings, TimeProvider.System, NullLogger<AnomalyMonitor>.Instance);
        var refusals = new RefusalDetector(metrics, monitor, settings, TimeProvider.System);
        var orders = new OrderBehaviourDetector(metrics, monitor);
        await refusals.StartAsync(CancellationToken.None);
        await orders.StartAsync(CancellationToken.None);
        var bots = Enumerable.Range(0, 50).Select(i => "bot" + i).ToArray();
        var n = 0;
        rows.Add($"| refusal counted, refusal detector listening (50 bots) | {Measure.Micro(() => { metrics.Denied(bots[n++ % 50], "scope"); return 0; }, 1_000_000):F3} |");
        rows.Add($"| accepted order, order-behaviour detector listening (50 bots, 200-order history) | {Measure.Micro(() => { metrics.Accepted(bots[n++ % 50], "BTCUSDT", 0.01m); return 0; }, 200_000):F3} |");

        // Every authenticated request: the activity record feeds the hours and request-rate detectors; the audit step counts the decision.
        var activity = new TradeFinder.Gateway.Identity.BotActivity(TimeProvider.System);
        rows.Add($"| request seen, no detector | {Measure.Micro(() => { activity.Seen(bots[n++ % 50]); return 0; }, 1_000_000):F3} |");
        rows.Add($"| decision counted (bot, scope, outcome) | {Measure.Micro(() => { metrics.Decided(bots[n++ % 50], "market:read", "forwarded", 0); return 0; }, 1_000_000):F3} |");
        var hours = new HoursDetector(activity, monitor);
        var rate = new RequestRateDetector(activity, settings, monitor);
        await hours.StartAsync(CancellationToken.None);
        await rate.StartAsync(CancellationToken.None);
        rows.Add($"| request seen, hours and request-rate detectors listening (50 bots) | {Measure.Micro(() => { activity.Seen(bots[n++ % 50]); return 0; }, 1_000_000):F3} |");
        await hours.StopAsync(CancellationToken.None);
        await rate.StopAsync(CancellationToken.None);

        var quantitative = new QuantitativeRules(monitor, options, TimeProvider.System);
        var id = 0;
        var events = Enumerable.Range(0, 2).Select(i => JsonDocument.Parse(i == 0
            ? """{"s":"BTCUSDT","c":"x","S":"BUY","o":"LIMIT","f":"GTC","q":"0.010","p":"60000","ap":"0","x":"NEW","X":"NEW","i":0,"z":"0"}"""
            : """{"s":"BTCUSDT","c":"x","S":"BUY","o":"LIMIT","f":"GTC","q":"0.010","p":"60000","ap":"0","x":"CANCELED","X":"CANCELED","i":0,"z":"0"}""").RootElement).ToArray();
        var stream = Enumerable.Range(0, 220_000).Select(i => Patch(events[i % 2], i / 2)).ToArray(); // NEW then CANCELED per order, parsed beforehand
        rows.Add($"| order event into the quantitative-rules window (up to 100k orders kept) | {Measure.Micro(() =>
        {
            quantitative.Observe("live/default", stream[id++], _ => null);
            return 0;
        }, 200_000):F3} |");
        await refusals.StopAsync(CancellationToken.None);
        await orders.StopAsync(CancellationToken.None);
        return rows;
    }

    private static JsonElement Patch(JsonElement e, long orderId) =>
        JsonDocument.Parse(e.GetRawText().Replace("\"i\":0", "\"i\":" + orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).RootElement;

    private sealed class OptionsMonitor(AnomaliesOptions value) : IOptionsMonitor<AnomaliesOptions>
    {
        public AnomaliesOptions CurrentValue => value;

        public AnomaliesOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<AnomaliesOptions, string?> listener) => null;
    }
}
