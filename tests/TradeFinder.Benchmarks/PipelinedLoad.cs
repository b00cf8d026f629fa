using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.Contracts.Security;

namespace TradeFinder.Benchmarks;

/// <summary>
/// A lean mTLS load generator (no tool here can present a client certificate): raw TLS 1.3 connections with the
/// bot's certificate, each keeping <c>depth</c> HTTP/1.1 requests in flight (pipelining, which Kestrel serves
/// in order). Only status lines are parsed, so nearly all CPU left over goes to the gateway under test.
/// </summary>
public static class PipelinedLoad
{
    public static async Task<(double PerSecond, long Answered, long Unexpected, long AnsweredInAll)> RunAsync(
        Uri address, X509Certificate2 ca, X509Certificate2 client, string request, string expectedStatus, int connections, int depth, TimeSpan duration, TimeSpan? warmUp = null)
    {
        var payload = Encoding.ASCII.GetBytes(request);
        var expected = Encoding.ASCII.GetBytes("HTTP/1.1 " + expectedStatus);
        var any = "HTTP/1.1 "u8.ToArray();
        long answered = 0, unexpected = 0, all = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(address.Host, address.Port);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = address.Host,
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [client],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 server && CustomRootTrust.ChainsTo(server, ca),
            });
            var batch = new byte[payload.Length * depth];
            for (var i = 0; i < depth; i++)
            {
                payload.CopyTo(batch, i * payload.Length);
            }

            var buffer = new byte[64 * 1024];
            var carry = 0;
            while (!stop.IsCancellationRequested)
            {
                await tls.WriteAsync(batch);
                var pending = depth;
                while (pending > 0)
                {
                    var read = await tls.ReadAsync(buffer.AsMemory(carry));
                    if (read == 0)
                    {
                        return;
                    }

                    var span = buffer.AsSpan(0, carry + read);
                    var statuses = Count(span, any);
                    var good = Count(span, expected);
                    pending -= statuses;
                    Interlocked.Add(ref all, statuses);
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Add(ref answered, statuses);
                        Interlocked.Add(ref unexpected, statuses - good);
                    }

                    // Keep a tail so a status line split across reads is still seen once.
                    carry = Math.Min(span.Length, any.Length + 4);
                    span[^carry..].CopyTo(buffer);
                    if (Count(buffer.AsSpan(0, carry), any) > 0)
                    {
                        carry = 0;
                    }
                }
            }
        })).ToArray();

        await Task.Delay(warmUp ?? TimeSpan.FromSeconds(2));
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var total = Interlocked.Read(ref answered);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return (total / elapsed.TotalSeconds, total, Interlocked.Read(ref unexpected), Interlocked.Read(ref all));
    }

    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            count++;
            haystack = haystack[(at + needle.Length)..];
        }

        return count;
    }
}
