using System.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// Builds the upstream request from what <see cref="SigningMiddleware"/> signed: exact query bytes (no
/// re-encoding, so what is sent is what was signed), the gateway's key header, and only the content headers
/// the exchange needs. No bot header is copied, so nothing a bot sends can impersonate a credential.
/// </summary>
internal static class SigningTransform
{
    public const string ApiKeyHeader = "X-MBX-APIKEY";
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded");

    public static void AddSigning(this TransformBuilderContext context)
    {
        context.CopyRequestHeaders = false;
        context.UseDefaultForwarders = false;
        context.AddXForwarded(ForwardedTransformActions.Off);
        context.AddRequestTransform(Apply);
    }

    private static ValueTask Apply(RequestTransformContext context)
    {
        var signed = context.HttpContext.Features.Get<SignedRequestFeature>()
            ?? throw new InvalidOperationException("A request reached the forwarder without passing the signing step.");

        var query = signed.Outgoing.Query.Length > 0 ? "?" + signed.Outgoing.Query : string.Empty;
        var target = context.DestinationPrefix.TrimEnd('/') + context.Path.ToUriComponent() + query;
        context.ProxyRequest.RequestUri = new Uri(target, in Verbatim);
        context.ProxyRequest.Headers.UserAgent.ParseAdd("TradeFinderGateway/1.0");
        if (signed.SendApiKey)
        {
            context.ProxyRequest.Headers.TryAddWithoutValidation(ApiKeyHeader, signed.Credential.ApiKey);
        }

        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentType = FormContentType;
            content.Headers.ContentLength = signed.Outgoing.Body.Length == 0 ? 0 : System.Text.Encoding.UTF8.GetByteCount(signed.Outgoing.Body);
        }

        return ValueTask.CompletedTask;
    }
}
