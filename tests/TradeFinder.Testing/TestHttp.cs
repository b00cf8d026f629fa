using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TradeFinder.Contracts.Security;

namespace TradeFinder.Testing;

public static class TestHttp
{
    /// <param name="maxConnections">A cap for load generators: requests queue for a connection instead of each opening (and handshaking) a new one.</param>
    public static HttpClient CreateMutualTlsClient(
        Uri baseAddress, X509Certificate2 trustedCa, X509Certificate2? clientCertificate, SslProtocols protocols = SslProtocols.None, int maxConnections = int.MaxValue,
        TimeSpan? idleConnectionsKept = null)
    {
        var handler = MutualTlsHandler(trustedCa, clientCertificate, protocols);
        handler.MaxConnectionsPerServer = maxConnections;
        if (idleConnectionsKept is { } kept)
        {
            handler.PooledConnectionIdleTimeout = kept;
        }

        return new(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>A WebSocket connected over mutual TLS to <paramref name="uri"/> (wss://).</summary>
    public static async Task<System.Net.WebSockets.ClientWebSocket> ConnectWebSocketAsync(Uri uri, X509Certificate2 trustedCa, X509Certificate2? clientCertificate)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        using var invoker = new HttpMessageInvoker(MutualTlsHandler(trustedCa, clientCertificate, SslProtocols.None));
        await socket.ConnectAsync(uri, invoker, CancellationToken.None).ConfigureAwait(false);
        return socket;
    }

    private static SocketsHttpHandler MutualTlsHandler(X509Certificate2 trustedCa, X509Certificate2? clientCertificate, SslProtocols protocols)
    {
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var presented = new X509Certificate2(certificate);
                    return CustomRootTrust.ChainsTo(presented, trustedCa);
                },
            },
        };
    }

    /// <summary>Sends a request and returns its status with the exchange error code of the body (0 when it has none).</summary>
    public static async Task<(HttpStatusCode Status, int Code)> SendForCodeAsync(this HttpClient client, HttpMethod method, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        var code = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        return (response.StatusCode, code);
    }
}
