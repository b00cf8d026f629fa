using System.Diagnostics;
using System.Net;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// The gateway's own outbound HTTP (exchange look-ups, key checks, Vault, readiness): redirects are never followed,
/// so a key or token never reaches a host it was not meant for, and the proxy environment variables
/// (<c>HTTPS_PROXY</c>, <c>ALL_PROXY</c>) are ignored unless <c>Gateway:OutboundProxy</c> names a proxy on purpose.
/// Pinned hosts (<see cref="UpstreamPins"/>) must show their pins. No trace context leaves with a request
/// (<see cref="NoTraceHeaders"/>).
/// </summary>
internal static class OutboundHttp
{
    public const string ProxySetting = "Gateway:OutboundProxy";

    public static SocketsHttpHandler CreateHandler(IConfiguration configuration)
    {
        var proxy = configuration[ProxySetting];
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = !string.IsNullOrWhiteSpace(proxy),
            Proxy = string.IsNullOrWhiteSpace(proxy) ? null : new WebProxy(new Uri(proxy)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        NoTraceHeaders(handler);
        UpstreamPins.Apply(handler, UpstreamPins.Read(configuration));
        return handler;
    }

    /// <summary>
    /// Our traces stay ours: the handler adds no <c>traceparent</c>, <c>tracestate</c> or <c>baggage</c> header to what it
    /// sends (the exchange, Vault and collectors are not part of our traces; the client span is still recorded here).
    /// </summary>
    public static void NoTraceHeaders(SocketsHttpHandler handler) =>
        handler.ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator();

    /// <summary>Gives a named client the locked-down primary handler.</summary>
    public static IHttpClientBuilder LockedDown(this IHttpClientBuilder client, IConfiguration configuration) =>
        client.ConfigurePrimaryHttpMessageHandler(() => CreateHandler(configuration));
}
