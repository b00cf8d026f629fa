using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Paper;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Budgets;

/// <summary>Upstream 429 and 418 stop all upstream traffic until Retry-After; a ban survives a restart.</summary>
public sealed class UpstreamBackoffTests : IDisposable
{
    private readonly string _dataDir = TempDirectory.Create("tf-backoff");

    public void Dispose() => TempDirectory.Delete(_dataDir);

    private static async Task InjectAsync(GatewayTestHost host, object fault)
    {
        using var http = new HttpClient { BaseAddress = host.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress };
        using var response = await http.PostAsJsonAsync("paper/control/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Upstream429_StopsEveryBotsUpstreamCalls_UntilRetryAfter_AndBotsAreToldWhenToRetry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayTestHost.StartAsync(dataDir: _dataDir, time: time);
        using var alpha = host.CreateClient(await host.IssueBotAsync("alpha"));
        using var beta = host.CreateClient(await host.IssueBotAsync("beta"));
        await InjectAsync(host, new { pathPattern = "/fapi/v1/time", kind = "RateLimit", retryAfterSeconds = 2, count = 1 });

        using var first = await alpha.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
        Assert.Equal((HttpStatusCode)429, first.StatusCode);
        host.PaperJournal.Clear();

        using var local = await beta.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=5", UriKind.Relative));

        Assert.Equal((HttpStatusCode)429, local.StatusCode);
        Assert.Equal(-1003, (await local.Content.ReadFromJsonAsync<ExchangeError>())!.Code);
        Assert.Equal(2, local.Headers.RetryAfter!.Delta!.Value.TotalSeconds); // the clock stood still
        Assert.Empty(host.PaperJournal.Entries);

        time.Advance(TimeSpan.FromSeconds(1.9));
        using var stillBackingOff = await beta.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=5", UriKind.Relative));
        Assert.Equal((HttpStatusCode)429, stillBackingOff.StatusCode);
        Assert.Empty(host.PaperJournal.Entries);

        time.Advance(TimeSpan.FromSeconds(0.2));
        using var after = await beta.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=5", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Upstream418Ban_IsKeptAcrossARestart()
    {
        await using (var host = await GatewayTestHost.StartAsync(dataDir: _dataDir))
        {
            using var alpha = host.CreateClient(await host.IssueBotAsync("alpha"));
            await InjectAsync(host, new { pathPattern = "/fapi/v1/time", kind = "Ban", retryAfterSeconds = 120, count = 1 });

            using var banned = await alpha.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
            Assert.Equal((HttpStatusCode)418, banned.StatusCode);
        }

        await using var restarted = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        using var again = restarted.CreateClient(restarted.LoadBotCertificate("alpha"));

        using var local = await again.GetAsync(new Uri("fapi/v1/ping", UriKind.Relative));

        Assert.Equal((HttpStatusCode)429, local.StatusCode);
        Assert.True(local.Headers.RetryAfter!.Delta!.Value.TotalSeconds > 60);
        Assert.DoesNotContain(restarted.PaperJournal.Entries, e => e.Path == "/fapi/v1/ping");
    }
}
