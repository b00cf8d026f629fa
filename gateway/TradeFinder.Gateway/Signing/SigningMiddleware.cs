using Microsoft.AspNetCore.Http.Features;
using System.Text;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// The sign step: strips what the bot sent as credentials, adds the gateway's timestamp, recvWindow and
/// signature with the key of the cluster the request goes to, and swaps in the rewritten body. The query
/// and key header are applied by <see cref="SigningTransform"/> when YARP builds the upstream request.
/// </summary>
internal sealed class SigningMiddleware(
    RequestDelegate next, CredentialStore credentials, ExchangeClock clock, IOptions<GatewayOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var entry = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var clusterId = context.Features.GetRequiredFeature<IReverseProxyFeature>().Cluster.Config.ClusterId;
        if (!UpstreamDirectory.TryParseClusterId(clusterId, out var mode) || !credentials.TryGet(mode, out var credential))
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
                "No exchange key is available for this upstream.").ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var rawBody = request.HasFormContentType ? await ReadBodyAsync(request, options.Value.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false) : null;
        if (rawBody is null && request.HasFormContentType)
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.MandatoryParamEmptyOrMalformed,
                $"Request body larger than {options.Value.MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<Risk.ExtraParameterFeature>() is { } extra)
        {
            var pair = extra.Name + "=" + Uri.EscapeDataString(extra.Value);
            if (!string.IsNullOrEmpty(rawBody))
            {
                rawBody += "&" + pair;
            }
            else
            {
                rawQuery = rawQuery.Length > 0 ? rawQuery + "&" + pair : pair;
            }
        }

        var outgoing = RequestSigner.Prepare(rawQuery, rawBody ?? string.Empty, entry.Security, credential, clock.NowMs(mode), options.Value.RecvWindowMs);
        var bodyBytes = Encoding.UTF8.GetBytes(outgoing.Body);
        request.Body = new MemoryStream(bodyBytes, writable: false);
        request.ContentLength = bodyBytes.Length;
        context.Features.Set(new SignedRequestFeature(outgoing, credential, entry.Security.NeedsApiKey()));
        await next(context).ConfigureAwait(false);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
