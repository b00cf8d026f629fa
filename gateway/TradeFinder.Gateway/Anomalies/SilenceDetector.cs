using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// The dead-man's switch: a bot with an expected heartbeat that has sent nothing for longer (counted from its last
/// request, or from the gateway's start) is reported <c>silent</c>, so a bot that died is noticed in minutes, not hours.
/// </summary>
internal sealed class SilenceDetector(BotActivity activity, AnomalySettings settings, AnomalyMonitor monitor, TimeProvider time) : IHostedService, IAsyncDisposable
{
    public const string Silent = "silent";
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Check()
    {
        var now = time.GetUtcNow();
        foreach (var (bot, seconds) in settings.Current.HeartbeatSeconds)
        {
            var last = activity.LastSeen(bot) ?? _started;
            if (now - last > TimeSpan.FromSeconds(seconds))
            {
                monitor.Report(Silent, AnomalySeverity.Warning, bot, null,
                    $"no request for {(long)(now - last).TotalSeconds} s (expected at least every {seconds} s)" + (activity.LastSeen(bot) is null ? " since the gateway started" : ""));
            }
        }
    }
}
