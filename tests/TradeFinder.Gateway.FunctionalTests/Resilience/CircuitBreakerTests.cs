using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Resilience;

[Collection(ExportedMetricsCollection.Name)]
public sealed class CircuitBreakerTests
{
    [Theory]
    [InlineData("Status", 503)]
    [InlineData("ErrorCode", 400)] // -1001 DISCONNECTED in a 4xx answer counts as a failure too
    public async Task FailureStorm_OpensTheAccountBreaker_MarketDataGoesOn_ThenItRecoversThroughHalfOpen(string kind, int status)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Resilience:MinimumThroughput"] = "4",
            ["Gateway:Resilience:BreakSeconds"] = "2",
        }, time: time);
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v2/account", kind, status, code = -1001 });
        var metrics = host.Services.GetRequiredService<GatewayMetrics>();

        const string Local = "the gateway is not sending more";
        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        var reachedExchange = answers.Count(a => !a.Body.Contains(Local, StringComparison.Ordinal));
        using var whileOpen = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        using var marketData = await bot.GetAsync(new Uri("fapi/v1/ticker/price?symbol=BTCUSDT", UriKind.Relative));

        Assert.All(answers.Where(a => !a.Body.Contains(Local, StringComparison.Ordinal)), a => Assert.Equal((HttpStatusCode)status, a.Status));
        Assert.All(answers.Where(a => a.Body.Contains(Local, StringComparison.Ordinal)), a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(4, reachedExchange); // the breaker opened at the minimum throughput, not after all 8
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileOpen.StatusCode);
        Assert.Equal(2, (int)whileOpen.Headers.RetryAfter!.Delta!.Value.TotalSeconds); // the whole 2 s break: the clock stood still
        var local = (await whileOpen.Content.ReadFromJsonAsync<ExchangeError>())!;
        Assert.Equal(ExchangeErrorCodes.Disconnected, local.Code);
        Assert.Contains(Local, local.Message);
        Assert.Equal(HttpStatusCode.OK, marketData.StatusCode);
        Assert.Equal(2, metrics.BreakerStates["paper/account"]);
        using var ops = host.CreateOpsClient();
        var scraped = await ops.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Matches(@"tradefinder_gateway_breaker_state\{[^}]*breaker=""paper/account""[^}]*\} 2", scraped);
        Assert.Matches(@"tradefinder_gateway_breaker_transitions_total\{[^}]*breaker=""paper/account""[^}]*state=""open""[^}]*\} 1", scraped);

        await host.ClearFaultsAsync();
        time.Advance(TimeSpan.FromSeconds(2.2));
        using var probe = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        using var after = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(0, metrics.BreakerStates["paper/account"]);
    }

    [Fact]
    public async Task UpstreamTimeouts_OpenTheBreaker_AndBotsAreToldWhenToRetry()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Resilience:MinimumThroughput"] = "2",
            ["Gateway:Resilience:BreakSeconds"] = "30",
            ["Gateway:Resilience:AccountTimeoutSeconds"] = "1",
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v2/balance", kind = "Timeout" });

        for (var i = 0; i < 2; i++)
        {
            using var timedOut = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        }

        using var local = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));

        // Answered by the gateway itself (its own message), and the bot is told the rest of the break, rounded up:
        // 30 s at most, less by however long this machine took between the breaker opening and this request.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, local.StatusCode);
        Assert.Contains("the gateway is not sending more", await local.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange((int)local.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 20, 30);
    }

    [Fact]
    public async Task DefiniteRejections_DoNotOpenTheBreaker()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Resilience:MinimumThroughput"] = "2" });
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        await host.InjectFaultAsync(new { pathPattern = "/fapi/v2/account", kind = "ErrorCode", status = 400, code = -2015 });

        for (var i = 0; i < 6; i++)
        {
            using var rejected = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
            Assert.Equal(-2015, (await rejected.Content.ReadFromJsonAsync<ExchangeError>())!.Code);
        }

        Assert.False(host.Services.GetRequiredService<GatewayMetrics>().BreakerStates.ContainsKey("paper/account"));
    }
}
