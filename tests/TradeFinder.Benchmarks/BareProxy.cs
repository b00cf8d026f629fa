using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace TradeFinder.Benchmarks;

/// <summary>
/// The framework's floor for the hop comparison: Kestrel with the gateway's TLS settings (TLS 1.3, client certificate
/// required and checked against the gateway's CA) and YARP's direct forwarder to the simulator, with nothing else — no
/// pipeline, audit, metrics or logging; the same transport settings (inline I/O). What the gateway costs above this is
/// ours; what this costs above nginx is ASP.NET Core's and YARP's. Run as its own process: <c>TradeFinder.Benchmarks bare-proxy PORT CERTS-DIR UPSTREAM</c>;
/// with <c>BARE_PROXY_UPSTREAM_TIMING=1</c> it also totals HttpClient's and hosting's own request durations (as the
/// gateway's meters do) for <c>/_upstream</c>, so a tuning run compares the two proxies' upstream calls and their time
/// inside to the same simulator.
/// </summary>
public static class BareProxy
{
    public static async Task RunAsync(int port, string certs, Uri upstream)
    {
        // The gateway's transport settings (Gateway:InlineIo, on by default), set as the gateway sets them: before this
        // process's first socket, then Kestrel's inline scheduling below.
        var listeners = new ListenerOptions();
        GatewayKestrel.PreferInlineCompletions(listeners);

        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certs, "ca.crt"));
        using var server = Pem.LoadWithKey(Path.Combine(certs, "server.crt"), Path.Combine(certs, "server.key"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = server,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    SslProtocols = SslProtocols.Tls13,
                    CheckCertificateRevocation = false,
                    ClientCertificateValidation = (certificate, _, _) => IssuedBy(certificate, ca),
                });
            });
        });
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = listeners.InlineIo);
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
        });
        // For the harness's allocations per request (a literal route, matched before the catch-all).
        app.MapGet("/_allocated", () => GC.GetTotalAllocatedBytes(precise: true));
        using var upstreamCalls = Environment.GetEnvironmentVariable("BARE_PROXY_UPSTREAM_TIMING") == "1" ? new UpstreamTiming() : null;
        if (upstreamCalls is not null)
        {
            app.MapGet("/_upstream", upstreamCalls.Totals);
        }

        app.MapForwarder("/{**rest}", upstream.ToString(), ForwarderRequestConfig.Empty, HttpTransformer.Empty, invoker);
        await app.RunAsync();
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// Seconds spent in hosting's requests and their count, then in HttpClient's upstream calls and theirs
    /// ("sum count sum count", the order the harness reads the gateway's meters in), from Microsoft.AspNetCore.Hosting's
    /// and System.Net.Http's meters.
    /// </summary>
    private sealed class UpstreamTiming : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();
        private readonly double[] _seconds = new double[2];
        private readonly long[] _count = new long[2];

        public UpstreamTiming()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if ((instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                    || (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
            {
                var i = instrument.Name == "http.server.request.duration" ? 0 : 1;
                lock (_gate)
                {
                    _seconds[i] += seconds;
                    _count[i]++;
                }
            });
            _listener.Start();
        }

        public string Totals()
        {
            lock (_gate)
            {
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_seconds[0]:R} {_count[0]} {_seconds[1]:R} {_count[1]}");
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
