using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Budgets;

internal static class BudgetTransform
{
    /// <summary>
    /// Corrects the shared budget from the exchange's own counters on every forwarded answer. The budgets are
    /// resolved once, when the route's transforms are built: through the request's services, every answer
    /// created a DI scope for this one look-up.
    /// </summary>
    public static void AddBudgetObservation(this TransformBuilderContext context)
    {
        var budgets = context.Services.GetRequiredService<ExchangeBudgets>();
        context.AddResponseTransform(transform =>
        {
            if (transform.ProxyResponse is { } response)
            {
                budgets.Observe(transform.HttpContext.Features.GetRequiredFeature<BotIdentity>().Mode, response.Headers);
            }

            return ValueTask.CompletedTask;
        });
    }
}
