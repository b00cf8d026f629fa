using System.Text.RegularExpressions;

namespace TradeFinder.Gateway.Logging;

/// <summary>
/// Masks anything secret in text bound for logs, errors or the audit trail: credential parameters in query
/// strings and bodies, key headers, bearer tokens, JSON fields with secret-ish names, long key-like tokens,
/// and every secret value the gateway has registered (exact match), however it got into the text.
/// </summary>
internal static partial class Redactor
{
    public const string Mask = "***";

    /// <summary>Identifiers that look like keys but are not secret (trace ids, certificate thumbprints, fingerprints).</summary>
    public static bool IsSafeName(string name) => name is "TraceId" or "SpanId" or "traceId" or "sha256" or "RequestId" or "Fingerprint" or "fingerprint" or "ConnectionId";

    /// <summary>True when a property or parameter name says its value is secret.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>Registers a live API key so any exact occurrence is masked (the redactor keeps only a fingerprint).</summary>
    public static void RegisterSecret(string value) => RegisteredSecrets.Register(value);

    /// <summary>Registers a live secret from its bytes (UTF-8) without ever making a string of it.</summary>
    public static void RegisterSecret(ReadOnlySpan<byte> utf8) => RegisteredSecrets.Register(utf8);

    public static void ForgetSecret(string value) => RegisteredSecrets.Forget(value);

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        text = RegisteredSecrets.Mask(text);

        // Each pattern only runs when the text has the character it needs; most log values have none.
        if (text.Contains('=', StringComparison.Ordinal))
        {
            text = Parameter().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        }

        if (text.Contains("earer", StringComparison.OrdinalIgnoreCase))
        {
            text = Bearer().Replace(text, "Bearer " + Mask);
        }

        if (text.Contains(':', StringComparison.Ordinal) || text.Contains('=', StringComparison.Ordinal))
        {
            text = Header().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        }

        if (text.Contains('"', StringComparison.Ordinal))
        {
            text = JsonField().Replace(text, m => m.Groups["prefix"].Value + Mask + "\"");
        }

        return HasKeyLikeRun(text) ? KeyLike().Replace(text, Mask) : text;
    }

    /// <summary>A run of 32+ key-alphabet characters, the only thing <see cref="KeyLike"/> can match.</summary>
    private static bool HasKeyLikeRun(string text)
    {
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '_' or '-' ? run + 1 : 0;
            if (run >= 32)
            {
                return true;
            }
        }

        return false;
    }


    [GeneratedRegex(@"(?i)(secret|password|passwd|api[_-]?key|apikey|x-mbx-apikey|signature|listen[_-]?key|token|private[_-]?key|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(?<name>\b(?:signature|api[_-]?key|apikey|secret|password|passwd|listenKey|token|access_token|secret_id|role_id)\b)(?<sep>=)[^&\s""']*")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"(?i)(?<name>\b(?:x-mbx-apikey|x-vault-token|authorization)\b)(?<sep>\s*[:=]\s*)(?:bearer\s+)?[^\s,;""']+")]
    private static partial Regex Header();

    [GeneratedRegex(@"(?i)(?<prefix>""(?:[a-z_]*(?:secret|password|apikey|api_key|signature|listenkey|token|client_token|private_key)[a-z_]*)""\s*:\s*"")[^""]*""")]
    private static partial Regex JsonField();

    [GeneratedRegex(@"(?i)\bbearer\s+[A-Za-z0-9\-\._~\+/]+=*")]
    private static partial Regex Bearer();

    // 32+ characters of key alphabet mixing letters and digits: API keys, secrets, HMAC signatures,
    // listenKeys. Words such as media types, and shorter ids, stay readable.
    [GeneratedRegex(@"\b(?=[A-Za-z0-9+/_\-]*\d)(?=[A-Za-z0-9+/_\-]*[A-Za-z])[A-Za-z0-9+/_\-]{32,}={0,2}")]
    private static partial Regex KeyLike();
}
