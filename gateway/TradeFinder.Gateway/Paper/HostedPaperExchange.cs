using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Paper;

/// <summary>Owns the in-process paper exchange and stops it with the gateway (or when a gateway that never started is disposed).</summary>
internal sealed class HostedPaperExchange(PaperExchangeServer server) : IHostedService, IAsyncDisposable
{
    private int _stopped;

    public PaperExchangeServer Server { get; } = server;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
