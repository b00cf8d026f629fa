using System.Globalization;
using System.Text;
using TradeFinder.Gateway.Keys;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// Rewrites a bot's parameters for the exchange: drops every credential-ish parameter the bot sent
/// (<c>signature</c>, <c>timestamp</c>, <c>recvWindow</c>, in any case), keeps the rest byte for byte where
/// the bot put them (query or form body), then for signed endpoints appends the gateway's own
/// timestamp and recvWindow and signs query + body exactly as sent (reference §3.1).
/// </summary>
internal static class RequestSigner
{
    private static readonly string[] StrippedNames = ["signature", "timestamp", "recvwindow", "apikey"];

    public static OutgoingRequest Prepare(
        string rawQuery, string rawBody, SecurityType security, ExchangeCredential credential, long timestampMs, int recvWindowMs)
    {
        var query = Strip(rawQuery);
        var body = Strip(rawBody);
        if (!security.IsSigned())
        {
            return new OutgoingRequest(query, body);
        }

        // Signature must be the last parameter of the request; the exchange reads the body after the query.
        var timing = string.Create(CultureInfo.InvariantCulture, $"timestamp={timestampMs}&recvWindow={recvWindowMs}");
        var signInBody = body.Length > 0;
        if (signInBody)
        {
            body = body + "&" + timing;
        }
        else
        {
            query = query.Length > 0 ? query + "&" + timing : timing;
        }

        var signature = credential.SignHmacHex(Encoding.UTF8.GetBytes(query + body));
        return signInBody
            ? new OutgoingRequest(query, body + "&signature=" + signature)
            : new OutgoingRequest(query + "&signature=" + signature, body);
    }

    /// <summary>Removes credential parameters and empty segments; everything else is kept verbatim.</summary>
    internal static string Strip(string raw)
    {
        if (raw.Length == 0)
        {
            return raw;
        }

        var kept = new StringBuilder(raw.Length);
        foreach (var range in raw.AsSpan().Split('&'))
        {
            var segment = raw.AsSpan(range);
            if (segment.IsEmpty || IsStripped(segment))
            {
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append('&');
            }

            kept.Append(segment);
        }

        return kept.ToString();
    }

    private static bool IsStripped(ReadOnlySpan<char> segment)
    {
        var eq = segment.IndexOf('=');
        var name = Uri.UnescapeDataString((eq < 0 ? segment : segment[..eq]).ToString());
        foreach (var stripped in StrippedNames)
        {
            if (name.Equals(stripped, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
