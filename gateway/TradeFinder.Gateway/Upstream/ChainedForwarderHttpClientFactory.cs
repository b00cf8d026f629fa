using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// YARP's upstream client with the gateway's handler chain (outermost first) around the socket handler, the
/// exchange hosts' SPKI pins (if any) on that handler, and no trace headers sent.
/// </summary>
internal sealed class ChainedForwarderHttpClientFactory(IServiceProvider services, IReadOnlyList<Func<IServiceProvider, DelegatingHandler>> chain)
    : ForwarderHttpClientFactory
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        Context.OutboundHttp.NoTraceHeaders(handler); // YARP propagates the trace by default; the exchange is not part of it
        Context.UpstreamPins.Apply(handler, Context.UpstreamPins.Read(services.GetRequiredService<IConfiguration>()));
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var outer = chain[i](services);
            outer.InnerHandler = handler;
            handler = outer;
        }

        return handler;
    }
}
