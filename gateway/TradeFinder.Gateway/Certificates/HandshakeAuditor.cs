using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Certificates;

/// <summary>
/// Checks a client certificate in the TLS handshake. A refused handshake never becomes an HTTP request, so its
/// audit record is written here — aggregated, because anyone can present any self-signed certificate: per
/// (listener, issuer, subject) the first refusal in a window is written in full, the rest are only counted and
/// written as one summary when the window has passed. The certificate's claims are marked unverified, and the
/// number of distinct sources tracked is capped, so a flood costs bounded rows and bounded memory.
/// </summary>
internal sealed class HandshakeAuditor(GatewayTls tls, AuditTrail audit, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int MaxSources = 1024;
    private const string Others = "(other sources)";
    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool Accept(X509Certificate2 certificate, Listener listener, ClientRole role)
    {
        if (ClientCertificateValidator.IsAcceptable(certificate, tls.Ca, role))
        {
            return true;
        }

        Refused(certificate, listener);
        return false;
    }

    private void Refused(X509Certificate2 certificate, Listener listener)
    {
        var now = time.GetUtcNow();
        var key = $"{listener}|{certificate.Issuer}|{certificate.Subject}";
        int? suppressed = null; // stays null when this refusal is only counted
        lock (_gate)
        {
            if (!_sources.TryGetValue(key, out var source))
            {
                if (_sources.Count >= MaxSources)
                {
                    PruneExpired(now);
                }

                if (_sources.Count >= MaxSources)
                {
                    key = Others;
                    source = _sources.GetValueOrDefault(Others);
                }

                if (source is null)
                {
                    _sources[key] = new Source(now);
                    suppressed = 0;
                }
            }

            if (source is not null)
            {
                if (now - source.WindowStart < Window)
                {
                    source.Suppressed++;
                }
                else
                {
                    suppressed = source.Suppressed;
                    source.WindowStart = now;
                    source.Suppressed = 0;
                }
            }
        }

        if (suppressed is null)
        {
            return;
        }

        audit.Write(new AuditRecord
        {
            OccurredAtMs = now.ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.AuthFailure,
            // A refused certificate proves nothing about who sent it: its name is a claim, kept apart from the bot column.
            Bot = "(unverified)",
            Endpoint = listener.ToString(),
            Outcome = "handshake refused",
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
            {
                ["claimedName"] = certificate.GetNameInfo(X509NameType.SimpleName, false),
                ["subject"] = certificate.Subject,
                ["issuer"] = certificate.Issuer,
                ["sha256"] = BotRegistry.Thumbprint(certificate),
                ["verified"] = false,
                ["refusedBeforeInWindow"] = suppressed.Value,
                ["windowSeconds"] = (int)Window.TotalSeconds,
            }),
        });
    }

    /// <summary>Sources whose window has passed with nothing left to report are forgotten, making room for new ones.</summary>
    private void PruneExpired(DateTimeOffset now)
    {
        foreach (var (key, source) in _sources.Where(s => now - s.Value.WindowStart >= Window && s.Value.Suppressed == 0).ToList())
        {
            _sources.Remove(key);
        }
    }

    private sealed class Source(DateTimeOffset windowStart)
    {
        public DateTimeOffset WindowStart { get; set; } = windowStart;

        public int Suppressed { get; set; }
    }
}
