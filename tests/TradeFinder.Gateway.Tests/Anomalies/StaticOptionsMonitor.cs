using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Anomalies;

namespace TradeFinder.Gateway.Tests.Anomalies;

/// <summary>Fixed anomaly options for a monitor built by hand (no host, no reload).</summary>
internal sealed class StaticOptionsMonitor(AnomaliesOptions value) : IOptionsMonitor<AnomaliesOptions>
{
    public AnomaliesOptions CurrentValue => value;

    public AnomaliesOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<AnomaliesOptions, string?> listener) => null;
}
