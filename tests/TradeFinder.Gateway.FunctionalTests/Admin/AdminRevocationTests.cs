using System.Net;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Admin;

public sealed class AdminRevocationTests
{
    [Fact]
    public async Task RevokedAdmin_IsRefusedOnItsNextRequest_WithoutARestart()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var admin = host.CreateAdminClient(await host.IssueAdminAsync("ops"));
        using (var before = await admin.GetAsync(new Uri("admin/bots", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        Assert.Equal(0, (await host.CliAsync("certs", "revoke", "--admin", "ops")).ExitCode);

        using var after = await admin.GetAsync(new Uri("admin/bots", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task RevokedAdminLooping_GetsAFewAnswers_TheRestAreCutOff()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var admin = host.CreateAdminClient(await host.IssueAdminAsync("ops"));
        Assert.Equal(0, (await host.CliAsync("certs", "revoke", "--admin", "ops")).ExitCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answered = 0;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await admin.GetAsync(new Uri("admin/bots", UriKind.Relative));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                answered++;
            }
            catch (HttpRequestException)
            {
            }
        }

        var windows = (int)Math.Ceiling(clock.Elapsed / RefusalThrottle.Window) + 1;
        Assert.InRange(answered, 1, RefusalThrottle.AnsweredPerWindow * windows);
    }
}
