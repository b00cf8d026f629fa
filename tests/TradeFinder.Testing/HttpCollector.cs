using System.Collections.Concurrent;
using System.Net;

namespace TradeFinder.Testing;

/// <summary>A local HTTP receiver on loopback (alert webhooks, checkpoint collectors): keeps every request body it is sent and answers 204.</summary>
public sealed class HttpCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    /// <summary>Starts listening on <c>http://127.0.0.1:PORT/PATH/</c>.</summary>
    /// <param name="path">The path prefix, e.g. <c>alerts</c>.</param>
    public HttpCollector(string path)
    {
        var port = TestPorts.Next();
        Url = new Uri($"http://127.0.0.1:{port}/{path.Trim('/')}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _receiving = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using (var body = new MemoryStream())
                {
                    await context.Request.InputStream.CopyToAsync(body);
                    ReceivedBytes.Enqueue((context.Request.Url?.AbsolutePath ?? "", body.ToArray()));
                    Received.Enqueue(System.Text.Encoding.UTF8.GetString(body.ToArray()));
                }

                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });
    }

    /// <summary>Where to send.</summary>
    public Uri Url { get; }

    /// <summary>Bodies received, in order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Paths and raw bodies received, in order (for binary payloads such as OTLP protobuf).</summary>
    public ConcurrentQueue<(string Path, byte[] Body)> ReceivedBytes { get; } = new();

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _receiving.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
