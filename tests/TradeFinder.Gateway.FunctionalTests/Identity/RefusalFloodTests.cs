using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Identity;

/// <summary>A revoked bot that keeps calling cannot make the gateway answer or audit more than a few requests a second.</summary>
public sealed class RefusalFloodTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayTestHost _host;

    public RefusalFloodTests(GatewayFixture gateway) => _host = gateway.Host;

    [Fact]
    public async Task RevokedBotLooping_GetsAFewAnswersASecond_AndAsManyAuditRows_TheRestAreCutOff()
    {
        using var certificate = await _host.IssueBotAsync("flooder");
        await _host.CliAsync("certs", "revoke", "flooder");
        using var client = _host.CreateClient(certificate);

        var clock = Stopwatch.StartNew();
        int answered = 0, cutOff = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                answered++;
            }
            catch (HttpRequestException)
            {
                cutOff++;
            }
        }

        var windows = (int)Math.Ceiling(clock.Elapsed / RefusalThrottle.Window) + 1;
        Assert.InRange(answered, RefusalThrottle.AnsweredPerWindow, RefusalThrottle.AnsweredPerWindow * windows);
        Assert.Equal(200, answered + cutOff);

        var store = _host.Services.GetRequiredService<IAuditStore>();
        IReadOnlyList<AuditEvent> rows = [];
        for (var attempt = 0; attempt < 50 && rows.Count < answered; attempt++)
        {
            await Task.Delay(100);
            rows = await store.QueryAsync(new AuditQuery(Bot: "flooder", Type: AuditEventTypes.AuthFailure, Limit: 1_000), CancellationToken.None);
        }

        Assert.Equal(answered, rows.Count);
    }
}
