using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// What a step that needs the exchange's answer before deciding says when it cannot get it: over the bot's quota,
/// the exchange's 429 shape with Retry-After; upstream trouble, 503 -1001. Either way nothing is sent: fail closed.
/// </summary>
internal static class LookupFailures
{
    /// <summary>True for the failures a look-up can end in (not a bot that went away).</summary>
    public static bool Handles(Exception ex, HttpContext context) =>
        ex is BudgetRefusedException
        || (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException
            || (ex is TaskCanceledException && !context.RequestAborted.IsCancellationRequested));

    public static Task WriteAsync(HttpContext context, Exception ex, GatewayMetrics metrics, string bot, string step, string what)
    {
        if (ex is BudgetRefusedException budget)
        {
            metrics.Denied(bot, "budget");
            return ExchangeErrorResponses.WriteRetryLaterAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests, budget.RetryAfter,
                "Too many requests: " + budget.Message);
        }

        metrics.Denied(bot, step + "_unavailable");
        return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
            $"{what} could not be checked (upstream unavailable); nothing was sent.");
    }
}
