using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Hosting;

/// <summary>The three ports: bots and admins over mutual TLS (each role checked in the handshake), ops over plain HTTP.</summary>
internal static class GatewayKestrel
{
    public static void Configure(WebApplicationBuilder builder, StartupChecks startup, GatewayTls tls, TimeProvider time)
    {
        var listeners = startup.Listeners;
        var limits = startup.Limits;
        var perCertificate = new CertificateConnectionLimiter(limits.MaxConnectionsPerCertificate);
        var requestRate = new ConnectionRequestRate(limits.MaxRequestsPerSecondPerConnection, time);
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
