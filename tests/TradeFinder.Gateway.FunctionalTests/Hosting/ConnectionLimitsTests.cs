using System.Net;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Hosting;

/// <summary>One client certificate cannot hold more than its share of the gateway's connections.</summary>
public sealed class ConnectionLimitsTests
{
    [Fact]
    public async Task ConnectionsBeyondTheCertificatesCap_AreClosed_AndOthersAreNotAffected()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Limits:MaxConnectionsPerCertificate"] = "2" });
        var alpha = await host.IssueBotAsync("alpha");
        var beta = await host.IssueBotAsync("beta");

        // Each client is its own connection pool: two keep-alive connections for alpha are its whole share.
        using var first = host.CreateClient(alpha);
        using var second = host.CreateClient(alpha);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode);

        using var third = host.CreateClient(alpha);
        await Assert.ThrowsAsync<HttpRequestException>(() => third.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));
        using var other = host.CreateClient(beta);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode);

        // A connection given back makes room again.
        first.Dispose();
        var admitted = false;
        for (var attempt = 0; attempt < 50 && !admitted; attempt++)
        {
            using var again = host.CreateClient(alpha);
            try
            {
                admitted = (await again.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(admitted, "no connection was admitted after one was closed");
    }

    [Fact]
    public async Task RequestsBeyondTheConnectionsRate_Get429AtOnce_OnThatConnectionOnly_UntilTheBucketRefills()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Limits:MaxRequestsPerSecondPerConnection"] = "5" }, time: time);
        var alpha = await host.IssueBotAsync("alpha");
        using var greedy = host.CreateClient(alpha);
        using var other = host.CreateClient(alpha);

        var answers = new List<(HttpStatusCode, int)>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await greedy.SendForCodeAsync(HttpMethod.Get, "fapi/v1/time"));
        }

        Assert.Equal(5, answers.Count(a => a.Item1 == HttpStatusCode.OK));
        Assert.All(answers.Skip(5), a => Assert.Equal((HttpStatusCode.TooManyRequests, ExchangeErrorCodes.TooManyRequests), a));
        Assert.Equal(HttpStatusCode.OK, (await other.SendForCodeAsync(HttpMethod.Get, "fapi/v1/time")).Status);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await greedy.SendForCodeAsync(HttpMethod.Get, "fapi/v1/time")).Status);
    }
}
