using System.Net;
using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// YARP's upstream client: the route's breaker and timeout (<see cref="ResilienceHandler"/>) around
/// <see cref="TimestampRetryHandler"/>, around the socket handler.
/// </summary>
internal sealed class RetryingForwarderHttpClientFactory(IServiceProvider services) : ForwarderHttpClientFactory
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        var retry = ActivatorUtilities.CreateInstance<TimestampRetryHandler>(services);
        retry.InnerHandler = handler;
        var resilience = ActivatorUtilities.CreateInstance<ResilienceHandler>(services);
        resilience.InnerHandler = retry;
        return resilience;
    }
}
