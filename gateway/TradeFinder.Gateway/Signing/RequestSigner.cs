using System.Globalization;
using System.Text;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// Rewrites a bot's parameters for the exchange: drops every credential-ish parameter the bot sent
/// (<c>signature</c>, <c>timestamp</c>, <c>recvWindow</c>, in any case), keeps the rest byte for byte where
/// the bot put them (query or form body), then for signed endpoints appends the gateway's own
/// timestamp and recvWindow and signs query + body exactly as sent (Binance USDⓈ-M Futures "SIGNED (TRADE and USER_DATA) Endpoint security") with HMAC, Ed25519 or RSA.
/// </summary>
internal static class RequestSigner
{
    private static readonly string[] StrippedNames = ["signature", "timestamp", "recvwindow", "apikey"];

    /// <summary>
    /// Resolves the key for <paramref name="mode"/>, <paramref name="purpose"/> and <paramref name="group"/> and
    /// prepares the request; if a rotation retires the resolved key mid-way, the new key is resolved and used.
    /// Unkeyed endpoints (public market data) resolve no key at all.
    /// </summary>
    public static (OutgoingRequest Outgoing, ExchangeKey? Key) Prepare(
        string rawQuery, string rawBody, SecurityType security, KeyRing keys, TradingMode mode, KeyPurpose purpose, string? group,
        Func<long> timestampMs, int recvWindowMs)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            ExchangeKey? key = null;
            if (security.NeedsApiKey())
            {
                key = keys.Resolve(mode, purpose, group) ?? throw new NoKeyException(mode, purpose, group);
            }

            if (TryPrepare(rawQuery, rawBody, security, key, timestampMs(), recvWindowMs, out var outgoing))
            {
                return (outgoing, key);
            }
        }

        throw new NoKeyException(mode, purpose, group);
    }

    /// <summary>Read keys for reads and user streams, trading keys for anything that changes the account.</summary>
    public static KeyPurpose PurposeOf(UsdmEndpoint endpoint) =>
        endpoint.Scope is ScopeNames.MarketRead or ScopeNames.AccountRead or ScopeNames.UserStream ? KeyPurpose.Read : KeyPurpose.Trade;

    /// <summary>
    /// False only when <paramref name="key"/> was retired by a rotation between being resolved and signing;
    /// the caller resolves the current key and tries again.
    /// </summary>
    public static bool TryPrepare(
        string rawQuery, string rawBody, SecurityType security, ExchangeKey? key, long timestampMs, int recvWindowMs, out OutgoingRequest outgoing)
    {
        var query = Strip(rawQuery);
        var body = Strip(rawBody);
        if (!security.IsSigned())
        {
            outgoing = new OutgoingRequest(query, body);
            return true;
        }

        ArgumentNullException.ThrowIfNull(key);

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

        if (!key.TrySign(Encoding.UTF8.GetBytes(query + body), out var signature))
        {
            outgoing = default!;
            return false;
        }

        outgoing = signInBody
            ? new OutgoingRequest(query, body + "&signature=" + signature)
            : new OutgoingRequest(query + "&signature=" + signature, body);
        return true;
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
