using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradeFinder.Contracts.Exchange;
using TradeFinder.PaperExchange.Diagnostics;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Security;

/// <summary>
/// Runs before every exchange handler, in the exchange's order: charge weight and order count (429/418),
/// check the API key, timestamp and recvWindow, then the signature. Every request is journaled, and
/// exchange rejections thrown by handlers become <c>{"code":..,"msg":..}</c> answers.
/// </summary>
internal sealed class ExchangeSecurityFilter(
    IReadOnlyList<PaperCredential> credentials,
    TimeProvider time,
    RequestJournal journal,
    RateLimiter limiter) : IEndpointFilter
{
    internal const string ParametersKey = "paper.parameters";
    internal const string CredentialKey = "paper.credential";
    private const long DefaultRecvWindowMs = 5000;
    private const long MaxAheadMs = 1000;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<SecurityTypeMetadata>();
        var type = metadata?.Type ?? SecurityType.None;
        var parameters = await RequestParameters.ReadAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        http.Items[ParametersKey] = parameters;
        var keyHeader = http.Request.Headers["X-MBX-APIKEY"].ToString();
        var code = 0;
        try
        {
            ChargeLimits(http, metadata, parameters);
            Authenticate(http, type, keyHeader, parameters);
            return await next(context).ConfigureAwait(false);
        }
        catch (ExchangeException ex)
        {
            code = ex.Code;
            return ExchangeResults.Error(ex.Code, ex.Message, ex.Status);
        }
        finally
        {
            journal.Record(new JournalEntry(http.Request.Method, http.Request.Path.Value ?? "", parameters.RawQuery,
                keyHeader.Length == 0 ? null : keyHeader, parameters.RawBody, code == 0 ? "ok" : code.ToString(CultureInfo.InvariantCulture),
                journal.Enabled ? [.. http.Request.Headers.Keys] : null));
        }
    }

    private void ChargeLimits(HttpContext http, SecurityTypeMetadata? metadata, RequestParameters parameters)
    {
        var endpoint = UsdmEndpoints.Find(http.Request.Method, http.Request.Path.Value ?? "");
        var weight = endpoint?.WeightFor(n => parameters[n]) ?? metadata?.Weight ?? 1;
        var decision = limiter.Charge(http.Connection.RemoteIpAddress?.ToString() ?? "local", weight, endpoint?.OrderCount ?? 0);
        var headers = http.Response.Headers;
        headers["X-MBX-USED-WEIGHT-1M"] = decision.UsedWeight.ToString(CultureInfo.InvariantCulture);
        if (decision.Orders10s is { } tenSeconds)
        {
            headers["X-MBX-ORDER-COUNT-10S"] = tenSeconds.ToString(CultureInfo.InvariantCulture);
            headers["X-MBX-ORDER-COUNT-1M"] = decision.Orders1m!.Value.ToString(CultureInfo.InvariantCulture);
        }

        if (!decision.Allowed)
        {
            headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            throw decision.ToException();
        }
    }

    private void Authenticate(HttpContext http, SecurityType type, string keyHeader, RequestParameters parameters)
    {
        if (!type.NeedsApiKey())
        {
            return;
        }

        if (keyHeader.Length == 0)
        {
            throw new ExchangeException(-2014, "API-key format invalid.", StatusCodes.Status401Unauthorized);
        }

        var credential = FindCredential(keyHeader)
            ?? throw new ExchangeException(-2015, "Invalid API-key, IP, or permissions for action.", StatusCodes.Status401Unauthorized);
        http.Items[CredentialKey] = credential;
        if (!type.IsSigned())
        {
            return;
        }

        if (!long.TryParse(parameters["timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw ExchangeException.Mandatory("timestamp");
        }

        var recvWindow = DefaultRecvWindowMs;
        var rawWindow = parameters["recvWindow"];
        if (rawWindow is not null
            && (!long.TryParse(rawWindow, NumberStyles.None, CultureInfo.InvariantCulture, out recvWindow) || recvWindow <= 0))
        {
            throw ExchangeException.Mandatory("recvWindow");
        }

        if (!SignatureVerifier.Verify(credential, parameters.RawQuery, parameters.RawBody))
        {
            throw new ExchangeException(-1022, "Signature for this request is not valid.");
        }

        var serverTime = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (timestamp >= serverTime + MaxAheadMs)
        {
            throw new ExchangeException(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        }

        if (serverTime - timestamp > recvWindow)
        {
            throw new ExchangeException(-1021, "Timestamp for this request is outside of the recvWindow.");
        }
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

internal sealed record SecurityTypeMetadata(SecurityType Type, int Weight = 1);

internal static class SecurityEndpointExtensions
{
    public static TBuilder WithSecurity<TBuilder>(this TBuilder builder, SecurityType type, int weight = 1)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new SecurityTypeMetadata(type, weight));

    public static Params Params(this HttpContext context)
    {
        var parameters = (RequestParameters)context.Items[ExchangeSecurityFilter.ParametersKey]!;
        return new Params(n => parameters[n]);
    }

    public static PaperCredential Credential(this HttpContext context) => (PaperCredential)context.Items[ExchangeSecurityFilter.CredentialKey]!;
}
