using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;
using Yarp.ReverseProxy.Model;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// Step 15, the signature: strips what the bot sent as credentials, adds the gateway's timestamp, recvWindow and
/// signature with the key for the request's mode, purpose (read or trade) and the bot's key group, and swaps in the rewritten body. The query
/// and key header are applied by <see cref="SigningTransform"/> when YARP builds the upstream request.
/// </summary>
internal sealed class SigningMiddleware(
    RequestDelegate next, KeyRing keys, ExchangeClock clock, IOptions<SigningOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var entry = context.Features.GetRequiredFeature<UsdmEndpoint>();
        var clusterId = context.Features.GetRequiredFeature<IReverseProxyFeature>().Cluster.Config.ClusterId;
        if (!UpstreamDirectory.TryParseClusterId(clusterId, out var mode))
        {
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
                "No exchange key is available for this upstream.");
        }

        // The bytes read (and size-checked) once when the parameters were decoded.
        var received = context.Features.GetRequiredFeature<GatewayRequest>();
        var rawQuery = received.RawQuery;
        var rawBody = received.RawBody;

        if (context.Features.Get<GatewayParameterFeature>() is { } set)
        {
            (rawQuery, rawBody) = set.Apply(rawQuery, rawBody);
        }

        SignedRequestFeature signed;
        try
        {
            signed = RequestSigner.Sign(HttpMethods.IsGet(context.Request.Method), entry, rawQuery, rawBody, keys, mode,
                context.Features.Get<BotIdentity>()?.KeyGroup, clock, options.Value.RecvWindowMs);
        }
        catch (NoKeyException ex)
        {
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected, ex.Message);
        }

        var bodyBytes = signed.Outgoing.Body.Length == 0 ? [] : Encoding.UTF8.GetBytes(signed.Outgoing.Body);
        context.Request.Body = bodyBytes.Length == 0 ? Stream.Null : new MemoryStream(bodyBytes, writable: false);
        context.Request.ContentLength = bodyBytes.Length;
        context.Features.Set(signed);
        return next(context);
    }
}
