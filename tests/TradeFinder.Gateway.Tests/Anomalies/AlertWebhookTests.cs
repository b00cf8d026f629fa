using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Tests.Anomalies;

public sealed class AlertWebhookTests
{
    [Fact]
    public async Task Stopping_EndsTheSender_WithoutAFault()
    {
        // The host reports a background task that ends cancelled outside its own stop (a start refused for a port in
        // use disposes the services) as a failure: an error and a fatal line about the webhook, ahead of the real cause.
        using var metrics = new GatewayMetrics();
        using var posted = new PostedHandler();
        var options = new AnomaliesOptions { WebhookUrl = "http://127.0.0.1:9/alerts" };
        using var webhook = new AlertWebhook(posted, new StaticOptionsMonitor(options), metrics, TimeProvider.System, NullLogger<AlertWebhook>.Instance);
        await webhook.StartAsync(CancellationToken.None);
        webhook.Offer(new DetectedAnomaly("test", AnomalySeverity.Critical, "alpha", null, "a test alert", 0));
        await posted.First.WaitAsync(TimeSpan.FromSeconds(10)); // the sender is running, waiting for the next alert

        await webhook.StopAsync(CancellationToken.None);

        Assert.True(webhook.ExecuteTask!.IsCompletedSuccessfully, $"ended {webhook.ExecuteTask.Status}");
    }

    /// <summary>Answers every post 200 and says when the first arrived (no network).</summary>
    private sealed class PostedHandler : HttpMessageHandler
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task First => _first.Task;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _first.TrySetResult();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
