using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Resilience;

internal static class ResilienceTransform
{
    /// <summary>Tells <see cref="ResilienceHandler"/> which breaker a forwarded request belongs to.</summary>
    public static void AddResilienceRoute(this TransformBuilderContext context) => context.AddRequestTransform(transform =>
    {
        var http = transform.HttpContext;
        var mode = http.Features.GetRequiredFeature<BotIdentity>().Mode;
        transform.ProxyRequest.Options.Set(UpstreamResilience.RouteOption, (mode, UpstreamResilience.ClassOf(http.Features.GetRequiredFeature<UsdmEndpoint>())));
        return ValueTask.CompletedTask;
    });
}
