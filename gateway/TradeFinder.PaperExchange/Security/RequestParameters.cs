using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace TradeFinder.PaperExchange.Security;

/// <summary>
/// The parameters of one request, from the query string and a form body, as the exchange reads them:
/// when a name appears in both, the query-string value wins (Binance USDⓈ-M Futures "Endpoint security type").
/// </summary>
internal sealed class RequestParameters
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly Dictionary<string, string> _values;

    private RequestParameters(string rawQuery, string rawBody, Dictionary<string, string> values)
    {
        RawQuery = rawQuery;
        RawBody = rawBody;
        _values = values;
    }

    public string RawQuery { get; }

    public string RawBody { get; }

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    public static async Task<RequestParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var rawBody = string.Empty;
        if (request.HasFormContentType && request.ContentLength is null or > 0)
        {
            request.EnableBuffering(MaxBodyBytes);
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            rawBody = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            request.Body.Position = 0;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in QueryHelpers.ParseQuery(rawBody))
        {
            values[k] = v.ToString();
        }

        foreach (var (k, v) in QueryHelpers.ParseQuery(rawQuery))
        {
            values[k] = v.ToString();
        }

        return new RequestParameters(rawQuery, rawBody, values);
    }
}
