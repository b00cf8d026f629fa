using System.Buffers;
using System.Globalization;
using System.Text;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Clock;
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
        ExchangeClock clock, int recvWindowMs)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            ExchangeKey? key = null;
            if (security.NeedsApiKey())
            {
                key = keys.Resolve(mode, purpose, group) ?? throw new NoKeyException(mode, purpose, group);
            }

            if (TryPrepare(rawQuery, rawBody, security, key, clock.NowMs(mode), recvWindowMs, out var outgoing))
            {
                return (outgoing, key);
            }
        }

        throw new NoKeyException(mode, purpose, group);
    }

    /// <summary>
    /// Signs a request to <paramref name="endpoint"/> with the key of its purpose (<see cref="PurposeOf"/>). A signed GET
    /// is idempotent, so it also carries its re-signer: the one retry after a -1021, with a fresh timestamp.
    /// </summary>
    public static SignedRequestFeature Sign(
        bool isGet, UsdmEndpoint endpoint, string rawQuery, string rawBody, KeyRing keys, TradingMode mode, string? group, ExchangeClock clock, int recvWindowMs)
    {
        var purpose = PurposeOf(endpoint);
        var (outgoing, key) = Prepare(rawQuery, rawBody, endpoint.Security, keys, mode, purpose, group, clock, recvWindowMs);
        return new SignedRequestFeature(outgoing, key, isGet && endpoint.Security.IsSigned()
            ? Resigner(rawQuery, rawBody, endpoint.Security, keys, mode, purpose, group, clock, recvWindowMs)
            : null);
    }

    // A method of its own so that only a read that may be re-sent pays for the closure (captured parameters of Sign's
    // top scope would cost one on every call).
    private static Func<(OutgoingRequest Outgoing, ExchangeKey? Key)> Resigner(
        string rawQuery, string rawBody, SecurityType security, KeyRing keys, TradingMode mode, KeyPurpose purpose, string? group,
        ExchangeClock clock, int recvWindowMs) =>
        () => Prepare(rawQuery, rawBody, security, keys, mode, purpose, group, clock, recvWindowMs);

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
        var signInBody = body.Length > 0;
        var signed = signInBody ? body : query;
        Span<char> timing = stackalloc char[64]; // the longest, with both numbers at their widest, is 54
        timing.TryWrite(CultureInfo.InvariantCulture, $"{(signed.Length > 0 ? "&" : "")}timestamp={timestampMs}&recvWindow={recvWindowMs}", out var timingLength);
        timing = timing[..timingLength];

        // The signed payload is the query then the body, as sent: encoded once into one buffer, not joined as strings first.
        var payloadLength = (signInBody ? Encoding.UTF8.GetByteCount(query) : 0) + Encoding.UTF8.GetByteCount(signed) + timing.Length;
        var rented = payloadLength > 1024 ? ArrayPool<byte>.Shared.Rent(payloadLength) : null;
        var payload = rented ?? stackalloc byte[1024];
        var written = signInBody ? Encoding.UTF8.GetBytes(query, payload) : 0;
        written += Encoding.UTF8.GetBytes(signed, payload[written..]);
        written += Encoding.UTF8.GetBytes(timing, payload[written..]);
        string? signature;
        try
        {
            if (!key.TrySign(payload[..written], out signature))
            {
                outgoing = default!;
                return false;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var complete = string.Concat(signed, timing, "&signature=", signature);
        outgoing = signInBody ? new OutgoingRequest(query, complete) : new OutgoingRequest(complete, body);
        return true;
    }

    /// <summary>Removes credential parameters and empty segments; everything else is kept verbatim.</summary>
    internal static string Strip(string raw)
    {
        if (raw.Length == 0)
        {
            return raw;
        }

        // Most requests carry nothing to remove: they are kept as they came, and a copy is begun only at the first
        // segment dropped, with everything before it.
        StringBuilder? kept = null;
        foreach (var range in raw.AsSpan().Split('&'))
        {
            var segment = raw.AsSpan(range);
            var dropped = segment.IsEmpty || IsStripped(segment);
            if (kept is null)
            {
                if (dropped)
                {
                    kept = new StringBuilder(raw.Length).Append(raw.AsSpan(0, Math.Max(0, range.Start.Value - 1)));
                }

                continue;
            }

            if (dropped)
            {
                continue;
            }

            if (kept.Length > 0)
            {
                kept.Append('&');
            }

            kept.Append(segment);
        }

        return kept?.ToString() ?? raw;
    }

    private static bool IsStripped(ReadOnlySpan<char> segment)
    {
        var eq = segment.IndexOf('=');
        var name = eq < 0 ? segment : segment[..eq];

        // A percent-encoded name ("%73ignature") is the same parameter to the exchange: compared decoded.
        if (name.Contains('%'))
        {
            name = Uri.UnescapeDataString(name);
        }

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
