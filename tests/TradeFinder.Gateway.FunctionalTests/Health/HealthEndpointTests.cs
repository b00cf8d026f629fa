using System.Net;
using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Health;

public sealed class HealthEndpointTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly GatewayTestHost _host = gateway.Host;

    [Fact]
    public async Task Healthz_OnOpsPort_IsHealthy()
    {
        using var ops = _host.CreateOpsClient();

        using var response = await ops.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_ReportsCertificatesAndUpstreamsUsable()
    {
        using var ops = _host.CreateOpsClient();

        using var response = await ops.GetAsync(new Uri("readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("certificates").GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("upstreams").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExchangePaths_AreNotServedOnTheUnauthenticatedOpsPort()
    {
        using var ops = _host.CreateOpsClient();

        using var response = await ops.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task HealthEndpoints_AreNotServedOnTheBotPort()
    {
        using var bot = _host.CreateClient(await _host.IssueBotAsync("alpha"));

        using var response = await bot.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
