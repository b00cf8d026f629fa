using System.Net;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Hosting;

/// <summary>
/// The gateway as its own process runs socket completions on the runtime's event threads, one per core (the switch
/// is process-wide and read at the first socket, so only the executable sets it), and still serves bots and admins.
/// </summary>
public sealed class InlineIoTests
{
    [Fact]
    public async Task AsItsOwnProcess_RunsSocketCompletionsOnAnEventThreadPerCore_AndServesBotsAndAdmins()
    {
        await using var replica = await GatewayReplica.StartAsync(new Dictionary<string, string?>());
        var certificate = await replica.IssueBotAsync("alpha", "paper");
        await replica.IssueAdminAsync("sre");
        using var bot = replica.CreateClient(certificate);

        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode);
        using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&newOrderRespType=RESULT", UriKind.Relative), null);
        Assert.True(order.StatusCode == HttpStatusCode.OK, await order.Content.ReadAsStringAsync());
        var (code, output, error) = await replica.CliAsync("bots", "show", "alpha"); // through the admin API
        Assert.True(code == 0 && output.Contains("alpha", StringComparison.Ordinal), output + error);

        Assert.Equal(Environment.ProcessorCount, SocketEventThreads(replica.ProcessId));
    }

    [Fact]
    public async Task WithInlineIoOff_KeepsTheRuntimesDefaultEventThread()
    {
        await using var replica = await GatewayReplica.StartAsync(new Dictionary<string, string?> { ["Gateway:InlineIo"] = "false" });
        using var ops = replica.CreateOpsClient();
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);

        // The runtime's default is one event thread per 30 cores, handing every completion to the thread pool.
        Assert.Equal(1, SocketEventThreads(replica.ProcessId));
    }

    private static int SocketEventThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");
}
