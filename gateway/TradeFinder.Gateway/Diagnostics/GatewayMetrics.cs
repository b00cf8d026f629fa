using System.Diagnostics.Metrics;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>The gateway's meter. Denials are counted per bot and reason for the anomaly detectors.</summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "TradeFinder.Gateway";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _denials;

    public GatewayMetrics() => _denials = _meter.CreateCounter<long>("tradefinder.gateway.denials", description: "Requests refused locally, by bot and reason");

    public void Denied(string bot, string reason) =>
        _denials.Add(1, new KeyValuePair<string, object?>("bot", bot), new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
