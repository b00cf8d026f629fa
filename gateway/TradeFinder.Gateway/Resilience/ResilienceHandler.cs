namespace TradeFinder.Gateway.Resilience;

/// <summary>Runs every upstream call (YARP's and the gateway's own) through its route's breaker and timeout.</summary>
internal sealed class ResilienceHandler(UpstreamResilience resilience) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(UpstreamResilience.RouteOption, out var route)
            ? resilience.SendAsync(route.Mode, route.Class, static (call, token) => call.Handler.SendInnerAsync(call.Request, token), (Handler: this, Request: request), cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);
}
