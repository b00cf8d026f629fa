using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Paper;

/// <summary>Owns the in-process paper exchange and stops it with the gateway.</summary>
internal sealed class HostedPaperExchange(PaperExchangeServer server) : IHostedService, IAsyncDisposable
{
    public PaperExchangeServer Server { get; } = server;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await Server.DisposeAsync().ConfigureAwait(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
