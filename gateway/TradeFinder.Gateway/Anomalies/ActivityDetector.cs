namespace TradeFinder.Gateway.Anomalies;

/// <summary>A detector fed by every authenticated request (bot, time), from the authentication step's activity record.</summary>
internal abstract class ActivityDetector(Identity.BotActivity activity) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        activity.Requested += Observe;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        activity.Requested -= Observe;
        return Task.CompletedTask;
    }

    internal abstract void Observe(string bot, DateTimeOffset at);
}
