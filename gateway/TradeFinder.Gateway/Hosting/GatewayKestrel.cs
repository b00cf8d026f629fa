using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Hosting;

/// <summary>The three ports: bots and admins over mutual TLS (each role checked in the handshake), ops over plain HTTP.</summary>
internal static class GatewayKestrel
{
    /// <summary>The runtime's switch for running socket completions on its event threads; read once, at the process's first socket.</summary>
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// For the gateway as its own process, before its first socket: socket completions run on the runtime's event
    /// threads (one per core) instead of each being queued to the thread pool, so with Kestrel's inline scheduling a
    /// bot's request is read, forwarded and answered without a hand-off between threads. An operator's own value of
    /// the variable is kept. Not for a host shared with other code (tests): the switch is process-wide.
    /// </summary>
    public static void PreferInlineCompletions(ListenerOptions listeners)
    {
        if (listeners.InlineIo && Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }
    }

    public static void Configure(WebApplicationBuilder builder, StartupChecks startup, GatewayTls tls, TimeProvider time)
    {
        var listeners = startup.Listeners;
        var limits = startup.Limits;
        var perCertificate = new CertificateConnectionLimiter(limits.MaxConnectionsPerCertificate);
        var requestRate = new ConnectionRequestRate(limits.MaxRequestsPerSecondPerConnection, time);

        // Request work continues on the thread that read the socket (nothing on a bot's path blocks a thread; admin
        // and ops requests move to the thread pool first, GatewayPipeline). Measured in docs/PERFORMANCE.md.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = listeners.InlineIo);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = startup.Requests.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
            var handshakes = kestrel.ApplicationServices.GetRequiredService<HandshakeAuditor>();
            kestrel.Listen(ListenerOptions.ParseEndpoint(listeners.BotsEndpoint), listen => MutualTls(listen, Listener.Bots, ClientRole.Bot));
            kestrel.Listen(ListenerOptions.ParseEndpoint(listeners.AdminEndpoint), listen => MutualTls(listen, Listener.Admin, ClientRole.Admin));
            kestrel.Listen(ListenerOptions.ParseEndpoint(listeners.OpsEndpoint), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(requestRate.Middleware);
                listen.TagListener(Listener.Ops);
            });

            void MutualTls(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen, Listener listener, ClientRole role)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tls.ServerCertificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    SslProtocols = listeners.AllowTls12 ? SslProtocols.Tls12 | SslProtocols.Tls13 : SslProtocols.Tls13,
                    CheckCertificateRevocation = false,
                    ClientCertificateValidation = (certificate, _, _) => handshakes.Accept(certificate, listener, role),
                });
                listen.Use(perCertificate.Middleware);
                listen.Use(requestRate.Middleware);
                listen.TagListener(listener);
            }
        });
    }
}
