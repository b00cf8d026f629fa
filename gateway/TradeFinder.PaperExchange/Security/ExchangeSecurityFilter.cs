using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Diagnostics;
using TradeFinder.PaperExchange.Hosting;

using TradeFinder.Contracts.Exchange;

namespace TradeFinder.PaperExchange.Security;

/// <summary>
/// Enforces an endpoint's security type before its handler runs: API key, then timestamp and
/// recvWindow, then signature, answering with the exchange's codes. Every request is journaled.
/// </summary>
internal sealed class ExchangeSecurityFilter(
    IReadOnlyList<PaperCredential> credentials,
    TimeProvider time,
    RequestJournal journal) : IEndpointFilter
{
    internal const string ParametersKey = "paper.parameters";
    private const long DefaultRecvWindowMs = 5000;
    private const long MaxAheadMs = 1000;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var type = http.GetEndpoint()?.Metadata.GetMetadata<SecurityTypeMetadata>()?.Type ?? SecurityType.None;
        var parameters = await RequestParameters.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        http.Items[ParametersKey] = parameters;

        var keyHeader = http.Request.Headers["X-MBX-APIKEY"].ToString();
        var rejection = Check(type, keyHeader, parameters, out var code);
        journal.Record(new JournalEntry(
            http.Request.Method,
            http.Request.Path.Value ?? "",
            parameters.RawQuery,
            keyHeader.Length == 0 ? null : keyHeader,
            parameters.RawBody,
            code == 0 ? "ok" : code.ToString(CultureInfo.InvariantCulture)));
        return rejection ?? await next(context).ConfigureAwait(false);
    }

    private IResult? Check(SecurityType type, string keyHeader, RequestParameters parameters, out int code)
    {
        code = 0;
        if (!type.NeedsApiKey())
        {
            return null;
        }

        if (keyHeader.Length == 0)
        {
            code = ExchangeErrorCodes.BadApiKeyFormat;
            return ExchangeResults.Error(code, "API-key format invalid.", StatusCodes.Status401Unauthorized);
        }

        var credential = FindCredential(keyHeader);
        if (credential is null)
        {
            code = ExchangeErrorCodes.RejectedMbxKey;
            return ExchangeResults.Error(code, "Invalid API-key, IP, or permissions for action.", StatusCodes.Status401Unauthorized);
        }

        if (!type.IsSigned())
        {
            return null;
        }

        if (!long.TryParse(parameters["timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            code = ExchangeErrorCodes.MandatoryParamEmptyOrMalformed;
            return ExchangeResults.MandatoryParam("timestamp");
        }

        var recvWindow = DefaultRecvWindowMs;
        var rawWindow = parameters["recvWindow"];
        if (rawWindow is not null
            && (!long.TryParse(rawWindow, NumberStyles.None, CultureInfo.InvariantCulture, out recvWindow) || recvWindow <= 0))
        {
            code = ExchangeErrorCodes.MandatoryParamEmptyOrMalformed;
            return ExchangeResults.MandatoryParam("recvWindow");
        }

        if (!SignatureVerifier.VerifyHmac(credential.Secret.Span, parameters.RawQuery, parameters.RawBody))
        {
            code = ExchangeErrorCodes.InvalidSignature;
            return ExchangeResults.Error(code, "Signature for this request is not valid.");
        }

        var serverTime = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (timestamp >= serverTime + MaxAheadMs)
        {
            code = ExchangeErrorCodes.InvalidTimestamp;
            return ExchangeResults.Error(code, "Timestamp for this request was 1000ms ahead of the server's time.");
        }

        if (serverTime - timestamp > recvWindow)
        {
            code = ExchangeErrorCodes.InvalidTimestamp;
            return ExchangeResults.Error(code, "Timestamp for this request is outside of the recvWindow.");
        }

        return null;
    }

    private PaperCredential? FindCredential(string apiKey)
    {
        var presented = Encoding.UTF8.GetBytes(apiKey);
        PaperCredential? match = null;
        foreach (var credential in credentials)
        {
            // Compare every key in constant time so a timing probe learns nothing about valid prefixes.
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credential.ApiKey), presented))
            {
                match = credential;
            }
        }

        return match;
    }
}

internal sealed record SecurityTypeMetadata(SecurityType Type);

internal static class SecurityEndpointExtensions
{
    public static TBuilder WithSecurity<TBuilder>(this TBuilder builder, SecurityType type)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new SecurityTypeMetadata(type));

    public static RequestParameters Parameters(this HttpContext context) =>
        (RequestParameters)context.Items[ExchangeSecurityFilter.ParametersKey]!;
}
