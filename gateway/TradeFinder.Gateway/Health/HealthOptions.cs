using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Health;

/// <summary>Readiness checks (<c>Gateway:Health</c>).</summary>
internal sealed class HealthOptions
{
    public const string Section = "Gateway:Health";

    /// <summary>How long the readiness ping to each upstream may take, in seconds.</summary>
    [Range(1, 60)]
    public int UpstreamTimeoutSeconds { get; set; } = 3;
}
