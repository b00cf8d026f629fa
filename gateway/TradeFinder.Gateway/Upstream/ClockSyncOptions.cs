using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Upstream;

/// <summary>How often the clock offset to each upstream is measured (<c>Gateway:ClockSyncIntervalSeconds</c>).</summary>
internal sealed class ClockSyncOptions
{
    public const string Section = "Gateway";

    [Range(5, 3600)]
    public int ClockSyncIntervalSeconds { get; set; } = 60;
}
