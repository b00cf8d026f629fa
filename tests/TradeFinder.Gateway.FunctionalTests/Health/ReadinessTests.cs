using System.Net;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Health;

/// <summary>The unauthenticated ops port cannot be turned into upstream traffic.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task AThousandReadinessCalls_CostAtMostOneUpstreamPing()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var ops = host.CreateOpsClient();
        using (var first = await ops.GetAsync(new Uri("readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        host.PaperJournal.Clear();
        var calls = Enumerable.Range(0, 1000).Select(async _ =>
        {
            using var response = await ops.GetAsync(new Uri("readyz", UriKind.Relative));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/ping") <= 1,
            "pings: " + host.PaperJournal.Entries.Count(e => e.Path == "/fapi/v1/ping"));
    }
}
