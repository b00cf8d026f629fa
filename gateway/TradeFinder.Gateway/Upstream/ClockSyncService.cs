using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Upstream;

/// <summary>Measures each upstream's <c>serverTime</c> at start and then periodically (NTP-style midpoint).</summary>
internal sealed class ClockSyncService(
    UpstreamDirectory upstreams,
    ExchangeClock clock,
    IHttpClientFactory httpClients,
    TimeProvider time,
    IOptions<ClockSyncOptions> options,
    UpstreamBackoff backoff,
    ILogger<ClockSyncService> logger) : BackgroundService
{
    public const string HttpClientName = "upstream-clock";
    private const int Samples = 3;

    /// <summary>The first measurement happens before the gateway serves, so no request is signed with an unknown offset.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAllAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ClockSyncIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await SyncAllAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        foreach (var (mode, baseAddress) in upstreams.Upstreams)
        {
            // The gateway's own calls count against the same limits; none go out while backing off.
            if (backoff.Remaining(mode) == TimeSpan.Zero)
            {
                await SyncAsync(mode, baseAddress, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Measures one upstream now (after the exchange rejected a timestamp).</summary>
    public Task ResyncAsync(TradingMode mode, CancellationToken cancellationToken) =>
        upstreams.Upstreams.TryGetValue(mode, out var baseAddress) && backoff.Remaining(mode) == TimeSpan.Zero
            ? SyncAsync(mode, baseAddress, cancellationToken)
            : Task.CompletedTask;

    internal async Task SyncAsync(TradingMode mode, Uri baseAddress, CancellationToken cancellationToken)
    {
        try
        {
            // Keep the sample with the shortest round trip: its midpoint is the least skewed by one slow leg.
            (long Offset, long RoundTrip)? best = null;
            for (var i = 0; i < Samples; i++)
            {
                var sample = await SampleAsync(baseAddress, cancellationToken).ConfigureAwait(false);
                if (best is null || sample.RoundTrip < best.Value.RoundTrip)
                {
                    best = sample;
                }
            }

            clock.SetOffset(mode, best!.Value.Offset);
            UpstreamLog.ClockSynced(logger, mode.ToConfigValue(), best.Value.Offset, best.Value.RoundTrip);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            UpstreamLog.ClockSyncFailed(logger, mode.ToConfigValue(), ex.GetType().Name);
        }
    }

    private async Task<(long Offset, long RoundTrip)> SampleAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var sent = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var response = await client.GetAsync(new Uri(baseAddress, UsdmPaths.Time), cancellationToken).ConfigureAwait(false);
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var serverTime = json.RootElement.GetProperty("serverTime").GetInt64();
        return (serverTime - ((sent + received) / 2), received - sent);
    }
}
