using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Modes;

/// <summary>The upstream base address of each mode the gateway can serve; each is its own YARP cluster.</summary>
internal sealed class UpstreamDirectory(TradingMode gatewayMode, IReadOnlyDictionary<TradingMode, Uri> upstreams)
{
    /// <summary>The highest mode this gateway serves (<c>TRADING_MODE</c>).</summary>
    public TradingMode GatewayMode { get; } = gatewayMode;

    public IReadOnlyDictionary<TradingMode, Uri> Upstreams { get; } = upstreams;

    public static string ClusterId(TradingMode mode) => mode.ToConfigValue();

    public static bool TryParseClusterId(string clusterId, out TradingMode mode) =>
        TradingModes.TryParse(clusterId, out mode) && !string.IsNullOrWhiteSpace(clusterId);
}
