using Microsoft.Extensions.Options;
using TradeFinder.Bots.Client;

namespace TradeFinder.Bots.Samples;

/// <summary>Runs the configured strategy every <c>PollSeconds</c>; on shutdown it cancels the bot's open orders.</summary>
internal sealed class StrategyWorker(Strategy strategy, IOptions<BotOptions> options, TimeProvider time, ILogger<StrategyWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await strategy.StartAsync(stoppingToken).ConfigureAwait(false);
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await strategy.StepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (GatewayApiException ex)
            {
                BotLog.StepFailed(logger, strategy.Name, options.Value.Symbol, ex.Code, ex.ExchangeMessage);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // The host's token may already be spent; leaving orders behind is worse than a short wait.
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await strategy.StopAsync(cleanup.Token).ConfigureAwait(false);
    }
}
