using System.Net;
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
}
