using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Upstream;
using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// What start-up made before the container exists. Until <see cref="HandOver"/>, disposing it releases all
/// of it (the paper exchange's port, the key ring), so a refused start leaves nothing running.
/// </summary>
internal sealed class StartedResources(GatewayPaths paths, TimeProvider time) : IAsyncDisposable
{
    private bool _handedOver;

    public GatewayPaths Paths { get; } = paths;

    public TimeProvider Time { get; } = time;

    public GatewayTls? Tls { get; set; }

    public PaperExchangeServer? Paper { get; set; }

    public UpstreamDirectory? Upstreams { get; set; }

    public KeyCheckHosts? KeyCheckHosts { get; set; }

    public KeyRing? Keys { get; set; }

    /// <summary>From here on the container owns and disposes everything.</summary>
    public void HandOver() => _handedOver = true;

    public async ValueTask DisposeAsync()
    {
        if (_handedOver)
        {
            return;
        }

        Keys?.Dispose();
        if (Paper is not null)
        {
            await Paper.DisposeAsync().ConfigureAwait(false);
        }
    }
}
