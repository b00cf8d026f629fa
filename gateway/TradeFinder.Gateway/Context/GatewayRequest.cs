using System.Text;
using Microsoft.AspNetCore.WebUtilities;

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

    public static async Task<GatewayRequest> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var body = string.Empty;
        if (request.HasFormContentType)
        {
            request.EnableBuffering(maxBodyBytes);
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            request.Body.Position = 0;
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? duplicate = null;
        foreach (var raw in new[] { query, body })
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(raw))
            {
                if (value.Count > 1 || !values.TryAdd(name, value.ToString()))
                {
                    duplicate ??= name;
                }
            }
        }

        return new GatewayRequest(query, body, values, duplicate);
    }
}
