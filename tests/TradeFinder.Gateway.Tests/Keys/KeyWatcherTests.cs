using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>The watcher's rounds (recheck with the exchange, pending keys, sources, retirement) keep the gateway's clock.</summary>
public sealed class KeyWatcherTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-keywatch");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Fact]
    public async Task TheRefreshInterval_IsTheGatewaysClock_NotTheWallClock()
    {
        // A refresh of a minute and a recheck every minute. On the wall clock the first round would come a real minute
        // after start, long after this test has given up.
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        using var ring = new KeyRing([KeyFactory.Slot(TestKey.Hmac())]);
        var exchange = new ScriptedKeyValidator();
        var trail = new AuditTrail(1_000, new AuditSpool(Path.Combine(_dir, "spool.jsonl"), new AuditChainKey(new byte[32])));
        var options = Options.Create(new KeysOptions { RefreshSeconds = 60, RecheckMinutes = 1, Watch = false });
        using var rotation = new KeyRotation(ring, exchange, trail, time, options, NullLogger<KeyRotation>.Instance);
        using var watcher = new KeyWatcher(ring, rotation, options, time, NullLogger<KeyWatcher>.Instance);

        // Stands in for the audit writer: the key's audit records are taken as stored.
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            await foreach (var pending in trail.Reader.ReadAllAsync(stop.Token))
            {
                pending.Done?.TrySetResult();
            }
        });

        await watcher.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            Assert.Equal(1, exchange.Checks); // before serving

            // The clock moves a second at a time (the watcher's loop starts on its own thread, at some point of it):
            // the recheck comes once a minute has passed on it, whatever the wall clock did meanwhile.
            var started = time.GetUtcNow();
            while (exchange.Checks < 2 && time.GetUtcNow() - started < TimeSpan.FromMinutes(3))
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(20);
            }

            Assert.Equal(2, exchange.Checks);
            Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(3));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
