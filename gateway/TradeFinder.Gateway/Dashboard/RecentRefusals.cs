using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Dashboard;

/// <summary>The last local refusals (bot, reason, time) for the live page.</summary>
internal sealed class RecentRefusals(GatewayMetrics metrics, TimeProvider time) : IHostedService
{
    private const int Kept = 50;
    private readonly Lock _gate = new();
    private readonly Queue<(DateTimeOffset At, string Bot, string Reason)> _refusals = new();

    public IReadOnlyList<(DateTimeOffset At, string Bot, string Reason)> Latest
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusals.Reverse()];
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.DenialRecorded += Record;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        metrics.DenialRecorded -= Record;
        return Task.CompletedTask;
    }

    private void Record(string bot, string reason)
    {
        lock (_gate)
        {
            _refusals.Enqueue((time.GetUtcNow(), bot, reason));
            while (_refusals.Count > Kept)
            {
                _refusals.Dequeue();
            }
        }
    }
}
