using System.Text;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Budgets;

/// <summary>Reads upstream 429/418 answers (status, Retry-After, message) into <see cref="UpstreamBackoff"/>; the bot still gets the exchange's answer.</summary>
internal static class BackoffTransform
{
    public static void AddBackoff(this TransformBuilderContext context)
    {
        var backoff = context.Services.GetRequiredService<UpstreamBackoff>();
        context.AddResponseTransform(async transform =>
        {
            if (transform.ProxyResponse is not { StatusCode: (System.Net.HttpStatusCode)429 or (System.Net.HttpStatusCode)418 } response)
            {
                return;
            }

            var http = transform.HttpContext;
            var body = await response.Content.ReadAsStringAsync(http.RequestAborted).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
            backoff.Record(http.Features.GetRequiredFeature<BotIdentity>().Mode, (int)response.StatusCode, retryAfter, body);

            // The body was consumed to read the ban time; pass the same bytes on.
            transform.SuppressResponseBody = true;
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
        });
    }
}
