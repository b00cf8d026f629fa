using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>Advances the venue once a second so triggers, countdowns and liquidations happen without requests.</summary>
internal sealed class VenueTicker(PaperVenue venue, TimeProvider time) : IHostedService, IAsyncDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => venue.Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
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
}
