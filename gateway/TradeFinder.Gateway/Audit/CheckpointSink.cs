using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The optional external copy of the signed checkpoints (<c>Gateway:Audit:CheckpointSinkUrl</c>): each line is POSTed
/// (<c>application/x-ndjson</c>) to a collector the gateway's host cannot rewrite — a log service, a WORM bucket's
/// ingest — so even someone holding the data dir and the database cannot hide a cut or a rewrite from it. Sent behind
/// the audit writer: a slow or down collector never delays the trail; lines wait (the newest 10,000) and are retried
/// (at least once: a POST whose answer was lost is sent again, so a collector keys lines by sequence).
/// The local file stays the one <c>audit verify</c> reads.
/// </summary>
internal sealed class CheckpointSink(Uri target, HttpMessageHandler handler, TimeProvider time, ILogger<CheckpointSink> logger) : BackgroundService
{
    public const string UrlSetting = "Gateway:Audit:CheckpointSinkUrl";
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly HttpClient _http = new(handler) { Timeout = TimeSpan.FromSeconds(10) };
    private string? _pending;

    /// <summary>The sink named by configuration, or null; only https, or http to a loopback collector.</summary>
    public static Uri? TargetFrom(IConfiguration configuration)
    {
        if (configuration[UrlSetting] is not { Length: > 0 } value)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new GatewayStartupException($"{UrlSetting} must be an https URL (http only for a collector on loopback).");
        }

        return uri;
    }

    public void Offer(string line) => _lines.Writer.TryWrite(line);

    /// <summary>On stop, the lines still waiting (the writer's last checkpoint among them) get one more try.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            // The line being sent when the stop came, then the rest.
            while (_pending is not null || _lines.Reader.TryRead(out _pending))
            {
                await SendAsync(_pending, deadline.Token).ConfigureAwait(false);
                _pending = null;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            AuditLog.CheckpointSinkFailed(logger, target.GetLeftPart(UriPartial.Authority), ex.Message);
        }
    }

    private async Task SendAsync(string line, CancellationToken cancellationToken)
    {
        using var content = new StringContent(line, Encoding.UTF8);
        content.Headers.ContentType = NdJson;
        using var response = await _http.PostAsync(target, content, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _pending ??= await _lines.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                await SendAsync(_pending, stoppingToken).ConfigureAwait(false);
                _pending = null;
                delay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                AuditLog.CheckpointSinkFailed(logger, target.GetLeftPart(UriPartial.Authority), ex.Message);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
