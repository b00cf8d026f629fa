using System.Diagnostics.Metrics;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>The gateway's meter. Denials are counted per bot and reason for the anomaly detectors.</summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "TradeFinder.Gateway";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _denials;
    private readonly Counter<long> _breakerTransitions;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _breakers = new();

    public GatewayMetrics()
    {
        _denials = _meter.CreateCounter<long>("tradefinder.gateway.denials", description: "Requests refused locally, by bot and reason");
        _breakerTransitions = _meter.CreateCounter<long>("tradefinder.gateway.breaker.transitions", description: "Circuit breaker state changes, by breaker and new state");
        _meter.CreateObservableGauge("tradefinder.gateway.breaker.state",
            () => _breakers.Select(b => new Measurement<int>(b.Value, new KeyValuePair<string, object?>("breaker", b.Key))),
            description: "Circuit breaker state per mode/route class: 0 closed, 1 half-open, 2 open");
    }

    public void BreakerChanged(string breaker, string state)
    {
        _breakers[breaker] = state switch { "open" => 2, "half_open" => 1, _ => 0 };
        _breakerTransitions.Add(1, new KeyValuePair<string, object?>("breaker", breaker), new KeyValuePair<string, object?>("state", state));
    }

    /// <summary>Current state per breaker (0 closed, 1 half-open, 2 open), as exported.</summary>
    public IReadOnlyDictionary<string, int> BreakerStates => _breakers;

    /// <summary>The audit writer's health, exported as gauges: 1 while the store takes rows, 1 while spool replay is stopped.</summary>
    public void ObserveAudit(Func<bool> storeAvailable, Func<bool> replayStopped)
    {
        _meter.CreateObservableGauge("tradefinder.gateway.audit.store_available", () => storeAvailable() ? 1 : 0,
            description: "1 while the audit store accepts rows; 0 while events are spooled to the data dir");
        _meter.CreateObservableGauge("tradefinder.gateway.audit.replay_stopped", () => replayStopped() ? 1 : 0,
            description: "1 while spool replay is stopped at a line that is unreadable or breaks the chain (see the error log)");
    }

    public void Denied(string bot, string reason) =>
        _denials.Add(1, new KeyValuePair<string, object?>("bot", bot), new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
