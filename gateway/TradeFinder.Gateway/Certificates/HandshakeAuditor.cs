using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Certificates;

/// <summary>
/// Checks a client certificate in the TLS handshake. A refused handshake never becomes an HTTP request, so
/// its audit record is written here.
/// </summary>
internal sealed class HandshakeAuditor(GatewayTls tls, AuditTrail audit, TimeProvider time)
{
    public bool Accept(X509Certificate2 certificate, Listener listener, ClientRole role)
    {
        if (ClientCertificateValidator.IsAcceptable(certificate, tls.Ca, role))
        {
            return true;
        }

        audit.Write(new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.AuthFailure,
            Bot = certificate.GetNameInfo(X509NameType.SimpleName, false),
            Endpoint = listener.ToString(),
            Outcome = "handshake refused",
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
            {
                ["subject"] = certificate.Subject,
                ["issuer"] = certificate.Issuer,
                ["sha256"] = BotRegistry.Thumbprint(certificate),
            }),
        });
        return false;
    }
}
