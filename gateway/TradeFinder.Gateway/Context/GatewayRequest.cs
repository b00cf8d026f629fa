using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// The bot's parameters, decoded, from the query string and a form body. A name sent twice (in either or
/// across both) is ambiguous — the exchange would pick one, a bot might mean the other — so it is refused.
/// </summary>
internal sealed class GatewayRequest
{
    private readonly Dictionary<string, string> _values;
    private BatchOrders? _batch;

    private GatewayRequest(string rawQuery, string rawBody, Dictionary<string, string> values, string? duplicate)
    {
        RawQuery = rawQuery;
        RawBody = rawBody;
        _values = values;
        Duplicate = duplicate;
    }

    /// <summary>The query string exactly as received, without '?'; the signing step forwards these bytes.</summary>
    public string RawQuery { get; }

    /// <summary>The form body exactly as received (empty when there is none).</summary>
    public string RawBody { get; }

    public string? Duplicate { get; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    public string? Get(string name) => this[name];

    /// <summary>The exchange weight of this request to <paramref name="endpoint"/>, from its parameters.</summary>
    public int WeightFor(UsdmEndpoint endpoint) => endpoint.WeightFor(this, static (request, name) => request[name]);

    /// <summary>The <c>batchOrders</c> parameter, parsed on first use and then shared by every step.</summary>
    public BatchOrders Batch => _batch ??= BatchOrders.Parse(this[BatchOrders.ParameterName]);

    /// <summary>
    /// The raw query and body with one parameter set by the gateway: the bot's own <c>name=value</c> pair is
    /// replaced where it was sent, or the pair is appended (to the body when there is one). Everything else
    /// stays byte for byte as received.
    /// </summary>
    public (string Query, string Body) WithParameter(string name, string value) => WithParameter(RawQuery, RawBody, name, value);

    public static (string Query, string Body) WithParameter(string rawQuery, string rawBody, string name, string value)
    {
        var pair = name + "=" + Uri.EscapeDataString(value);
        if (TryReplace(rawBody, name, pair) is { } body)
        {
            return (rawQuery, body);
        }

        if (TryReplace(rawQuery, name, pair) is { } query)
        {
            return (query, rawBody);
        }

        return rawBody.Length > 0 ? (rawQuery, rawBody + "&" + pair) : (rawQuery.Length > 0 ? rawQuery + "&" + pair : pair, rawBody);
    }

    private static string? TryReplace(string raw, string name, string pair)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        var segments = raw.Split('&');
        for (var i = 0; i < segments.Length; i++)
        {
            var end = segments[i].IndexOf('=', StringComparison.Ordinal);
            var rawName = end < 0 ? segments[i] : segments[i][..end];
            if (string.Equals(Uri.UnescapeDataString(rawName.Replace('+', ' ')), name, StringComparison.Ordinal))
            {
                segments[i] = pair;
                return string.Join('&', segments);
            }
        }

        return null;
    }

    /// <summary>
    /// Decodes the parameters. A request without a form body (every GET and most cancels) is read without
    /// waiting, so the step that reads it stays synchronous.
    /// </summary>
    public static ValueTask<GatewayRequest> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken) =>
        HasFormBody(request)
            ? new(ReadFormAsync(request, maxBodyBytes, cancellationToken))
            : new(Parse(QueryOf(request), string.Empty));

    private static async Task<GatewayRequest> ReadFormAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        request.EnableBuffering(maxBodyBytes);
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        request.Body.Position = 0;
        return Parse(QueryOf(request), body);
    }

    /// <summary>The one body type the exchange reads parameters from.</summary>
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>
    /// Whether the body is <c>application/x-www-form-urlencoded</c>, the one body the exchange reads (Binance USDⓈ-M
    /// Futures "General API Information"); a multipart form is not one. Read from the header itself: ASP.NET Core's
    /// <c>HasFormContentType</c> makes the request's form feature to answer, on every request.
    /// </summary>
    public static bool HasFormBody(HttpRequest request) =>
        request.ContentType is { Length: > 0 } contentType
        && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(FormContentType, StringComparison.OrdinalIgnoreCase);

    private static string QueryOf(HttpRequest request) => request.QueryString.HasValue ? request.QueryString.Value![1..] : "";

    private static GatewayRequest Parse(string query, string body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? duplicate = null;
        Add(values, query, ref duplicate);
        Add(values, body, ref duplicate);
        return new GatewayRequest(query, body, values, duplicate);
    }

    /// <summary>
    /// Decodes one <c>application/x-www-form-urlencoded</c> string as ASP.NET Core's query parser does (empty
    /// segments skipped, '+' is a space, percent-decoding of names and values) straight into the parameters.
    /// Names are compared ignoring case for duplicates: which of <c>symbol</c> and <c>SYMBOL</c> the exchange
    /// reads is not the gateway's to guess.
    /// </summary>
    private static void Add(Dictionary<string, string> values, string raw, ref string? duplicate)
    {
        foreach (var pair in new QueryStringEnumerable(raw))
        {
            var name = pair.DecodeName().ToString();
            if (duplicate is null && IsTaken(values, name))
            {
                duplicate = name;
            }

            values.TryAdd(name, pair.DecodeValue().ToString());
        }
    }

    private static bool IsTaken(Dictionary<string, string> values, string name)
    {
        if (values.ContainsKey(name))
        {
            return true;
        }

        // A handful of parameters: a scan is cheaper than a second, case-insensitive dictionary.
        foreach (var taken in values.Keys)
        {
            if (string.Equals(taken, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
