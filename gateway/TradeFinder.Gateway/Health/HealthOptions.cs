using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Health;

/// <summary>Readiness checks (<c>Gateway:Health</c>).</summary>
internal sealed class HealthOptions
{
    public const string Section = "Gateway:Health";

    /// <summary>How long the readiness ping to each upstream may take, in seconds.</summary>
    [Range(1, 60)]
    public int UpstreamTimeoutSeconds { get; set; } = 3;

    /// <summary>How long a readiness probe's answer is reused: at most one upstream ping per upstream per this many seconds.</summary>
    [Range(1, 3600)]
    public int ReadinessCacheSeconds { get; set; } = 10;
}
