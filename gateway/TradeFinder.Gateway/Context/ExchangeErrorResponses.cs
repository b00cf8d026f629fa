using System.Text.Json;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Gateway.Context;

/// <summary>Local refusals in the exchange's <c>{"code":..,"msg":..}</c> shape; they never reach upstream.</summary>
internal static class ExchangeErrorResponses
{
    // The exchange writes messages such as "Mandatory parameter 'symbol' ..." with plain quotes; so do we.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A refusal that tells the bot when to try again (429 budgets and back-off, 503 open breakers).</summary>
    public static Task WriteRetryLaterAsync(HttpContext context, int status, int code, TimeSpan retryAfter, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(context, status, code, $"{message} Retry after {seconds} s.");
    }

    public static Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Features.Set(new RefusalFeature(status, code, message));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";

        // A sized body in one write instead of a chunked stream: refusals are the gateway's hottest answer.
        var body = JsonSerializer.SerializeToUtf8Bytes(new ExchangeError(code, message), Json);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
