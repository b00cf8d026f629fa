using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Budgets;

internal static class BudgetTransform
{
    /// <summary>Corrects the shared budget from the exchange's own counters on every forwarded answer.</summary>
    public static void AddBudgetObservation(this TransformBuilderContext context) => context.AddResponseTransform(transform =>
    {
        if (transform.ProxyResponse is { } response)
        {
            var http = transform.HttpContext;
            http.RequestServices.GetRequiredService<ExchangeBudgets>().Observe(http.Features.GetRequiredFeature<BotIdentity>().Mode, response.Headers);
        }

        return ValueTask.CompletedTask;
    });
}
