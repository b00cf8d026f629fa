using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// Timeouts of the gateway's own calls to the exchange (<c>Gateway:Upstream</c>), in seconds. Bot traffic has
/// its own per-route-class timeouts under <c>Gateway:Resilience</c>.
/// </summary>
internal sealed class UpstreamOptions
{
    public const string Section = "Gateway:Upstream";

    /// <summary>Risk look-ups, order look-ups and cancels the gateway sends itself.</summary>
    [Range(1, 300)]
    public int QueryTimeoutSeconds { get; set; } = 30;

    /// <summary>exchangeInfo, loaded at start and refreshed every few minutes.</summary>
    [Range(1, 300)]
    public int RulesTimeoutSeconds { get; set; } = 10;

    /// <summary>One <c>/fapi/v1/time</c> sample of the clock sync.</summary>
    [Range(1, 60)]
    public int ClockTimeoutSeconds { get; set; } = 5;

    /// <summary>A key's restrictions check and signed test request.</summary>
    [Range(1, 300)]
    public int KeyCheckTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a forwarded bot request may go without upstream activity before YARP gives up.</summary>
    [Range(1, 600)]
    public int ForwarderActivityTimeoutSeconds { get; set; } = 30;
}
