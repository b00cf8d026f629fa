using System.Net.Http.Headers;
using TradeFinder.Gateway.Keys;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// Builds the upstream request from what <see cref="SigningMiddleware"/> signed: exact query bytes (no
/// re-encoding, so what is sent is what was signed), the gateway's key header, and only the content headers
/// the exchange needs. No bot header is copied, so nothing a bot sends can impersonate a credential. A key is
/// only ever sent to the host it is bound to.
/// </summary>
internal static class SigningTransform
{
    public const string ApiKeyHeader = "X-MBX-APIKEY";

    /// <summary>The gateway's User-Agent, set unparsed (a constant: parsing it into product tokens on every request bought nothing).</summary>
    public const string UserAgent = "TradeFinderGateway/1.0";
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly MediaTypeHeaderValue FormContentType = new(Context.GatewayRequest.FormContentType);

    /// <summary>Lets the forwarder's handler re-sign an idempotent read once after a -1021.</summary>
    public static readonly HttpRequestOptionsKey<SignedRequestFeature> SignedOption = new("tradefinder.signed");

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

        var target = Target(context.DestinationPrefix, context.Path.ToUriComponent(), signed.Outgoing.Query);
        ApplyKey(context.ProxyRequest, signed.Key, target);
        context.ProxyRequest.RequestUri = target;
        context.ProxyRequest.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        context.ProxyRequest.Options.Set(SignedOption, signed);
        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentType = FormContentType;
            content.Headers.ContentLength = signed.Outgoing.Body.Length == 0 ? 0 : System.Text.Encoding.UTF8.GetByteCount(signed.Outgoing.Body);
        }

        return ValueTask.CompletedTask;
    }

    public static Uri Target(string destinationPrefix, string path, string query)
    {
        var prefix = destinationPrefix.AsSpan().TrimEnd('/');
        return new(query.Length > 0 ? string.Concat(prefix, path, "?", query) : string.Concat(prefix, path), in Verbatim);
    }

    /// <summary>Sets the key header, refusing to send a key anywhere but the upstream it is bound to.</summary>
    public static void ApplyKey(HttpRequestMessage request, ExchangeKey? key, Uri target)
    {
        request.Headers.Remove(ApiKeyHeader);
        if (key is null)
        {
            return;
        }

        if (!IsBoundTo(key, target))
        {
            throw new InvalidOperationException($"Refusing to send {key} to {target.GetLeftPart(UriPartial.Authority)}: it is bound to {key.BoundHost.GetLeftPart(UriPartial.Authority)}.");
        }

        request.Headers.TryAddWithoutValidation(ApiKeyHeader, key.ApiKey);
    }

    public static bool IsBoundTo(ExchangeKey key, Uri target) =>
        Uri.Compare(key.BoundHost, target, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
