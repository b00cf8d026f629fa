using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace TradeFinder.Gateway.Validation;

/// <summary>
/// The bot's parameters, decoded, from the query string and a form body. A name sent twice (in either or
/// across both) is ambiguous — the exchange would pick one, a bot might mean the other — so it is refused.
/// </summary>
internal sealed class GatewayRequest
{
    private readonly Dictionary<string, string> _values;

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
