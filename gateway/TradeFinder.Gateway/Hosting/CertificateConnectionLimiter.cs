using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// Caps the connections one client certificate holds open: a bot (or a stolen bot certificate) cannot take every
/// connection the gateway has. Runs after the handshake, so the certificate is known; over the cap, the new
/// connection is closed at once.
/// </summary>
internal sealed class CertificateConnectionLimiter(int perCertificate)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var certificate = connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        if (certificate is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var key = certificate.Thumbprint;
        if (_open.AddOrUpdate(key, 1, (_, count) => count + 1) > perCertificate)
        {
            Leave(key);
            connection.Abort(new ConnectionAbortedException($"More than {perCertificate} connections for one client certificate."));
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Leave(key);
        }
    };

    private void Leave(string key)
    {
        if (_open.AddOrUpdate(key, 0, (_, count) => count - 1) <= 0)
        {
            _open.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }
}
