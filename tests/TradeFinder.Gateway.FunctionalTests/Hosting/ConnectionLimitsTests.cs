using System.Net;
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
}
