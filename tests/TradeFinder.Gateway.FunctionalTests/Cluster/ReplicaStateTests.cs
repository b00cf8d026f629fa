using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Cluster;

/// <summary>
/// Replicas sharing their registries in a real PostgreSQL: who may connect, and each bot's trading state, are the same
/// on every replica, and a change made through one reaches the others within a second; one of them leads.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaStateTests : IAsyncLifetime
{
    private const string NewOrder = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000";
    private readonly TestKey _key = TestKey.Hmac();
    private readonly TestKey _next = TestKey.Hmac("NEXTkey");
    private readonly ReplicaGroup _group = new();
    private PaperExchangeServer _exchange = null!;

    private List<GatewayReplica> Replicas => _group.Replicas;

    public async Task InitializeAsync() => _exchange = await _group.StartOnSharedStateAsync(2, [_key, _next], settings =>
    {
        settings["Gateway:Keys:Watch"] = "false"; // so only the other replica's announcement can make a replica rotate
        settings["Serilog:MinimumLevel:Override:TradeFinder.Gateway.Keys"] = "Information"; // each replica's key steps, for a failure's message
    });

    public async Task DisposeAsync() => await _group.DisposeAsync();

    [Fact]
    public async Task ABotIssuedThroughOneReplica_WorksOnEveryReplicaAtOnce()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");

        foreach (var replica in Replicas)
        {
            using var bot = replica.CreateClient(certificate);
            using var response = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AHaltMadeOnOneReplica_RefusesOnTheOtherWithinASecond()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        await Replicas[0].IssueAdminAsync("sre");
        using var onSecond = Replicas[1].CreateClient(certificate);
        using (var before = await onSecond.PostAsync(new Uri(NewOrder, UriKind.Relative), null))
        {
            Assert.True(before.IsSuccessStatusCode, await before.Content.ReadAsStringAsync());
        }

        var (code, _, error) = await Replicas[0].CliAsync("halt", "--bot", "alpha");
        Assert.True(code == 0, error);
        await Task.Delay(1_000);

        using var after = await onSecond.PostAsync(new Uri(NewOrder, UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Contains("HALTED", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevocationMadeOnOneReplica_RefusesOnTheOtherWithinASecond()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        using var onSecond = Replicas[1].CreateClient(certificate);
        using (var response = await onSecond.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var (code, _, error) = await Replicas[0].CliAsync("certs", "revoke", "alpha");
        Assert.True(code == 0, error);
        await Task.Delay(1_000);

        // The bot's connection to the other replica is still open: its next request is refused all the same.
        using var after = await onSecond.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task KillingTheLeader_HandsTheLeadOver_AndTheBotOnTheOtherReplicaMissesNoOrderEvent()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        var leaders = await LeadersAsync();
        Assert.Single(leaders);
        var leader = leaders[0];
        var survivor = Replicas.Single(r => r != leader);
        using var bot = survivor.CreateClient(certificate);
        using var key = await bot.PostAsync(new Uri("fapi/v1/listenKey", UriKind.Relative), null);
        var listenKey = JsonDocument.Parse(await key.Content.ReadAsStringAsync()).RootElement.GetProperty("listenKey").GetString();
        using var socket = await TestHttp.ConnectWebSocketAsync(new Uri($"wss://127.0.0.1:{survivor.BotsAddress.Port}/ws/{listenKey}"),
            X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Replicas[0].DataDir, "certs", "ca.crt")), certificate);
        var stream = new SocketMessages(socket);

        var placed = new List<string>();
        async Task PlaceAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var id = "handover-" + placed.Count;
                using var order = await bot.PostAsync(new Uri(NewOrder + "&newClientOrderId=" + id, UriKind.Relative), null);
                Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
                placed.Add(id);
            }
        }

        await PlaceAsync(3);
        await leader.KillAsync();
        await PlaceAsync(3);
        await Eventually.TrueAsync(() => LeadersAsync().GetAwaiter().GetResult().SequenceEqual([survivor]), "the other replica takes the lead", seconds: 15);
        await PlaceAsync(3);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!placed.All(seen.Contains) && await stream.NextAsync(e => e.GetProperty("e").GetString() == "ORDER_TRADE_UPDATE", TimeSpan.FromSeconds(10)) is { } e)
        {
            seen.Add(e.GetProperty("o").GetProperty("c").GetString()!);
        }

        Assert.Equal(placed, placed.Where(seen.Contains));
    }

    [Fact]
    public async Task ARotationAndARollbackMadeOnOneReplica_AreFollowedByTheOther()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        await Replicas[0].IssueAdminAsync("sre");
        using var onSecond = Replicas[1].CreateClient(certificate);

        _next.WriteTo(_group.KeysDir, "testnet");
        var (code, output, error) = await Replicas[0].CliAsync("keys", "rotate");
        Assert.True(code == 0, output + error);
        await SignsThroughSecondAsync(_next, "the other replica signs with the new key");

        (code, output, error) = await Replicas[0].CliAsync("keys", "rollback");
        Assert.True(code == 0, output + error);
        await SignsThroughSecondAsync(_key, "the other replica rolls back too");
        return;

        // Each check is a signed read (weight 5) charged to the bot: a check every 500 ms stays within its quota for
        // the whole wait, so a slow follower fails as slow, not as refused.
        async Task SignsThroughSecondAsync(TestKey key, string what)
        {
            string? seen = null;
            await Eventually.TrueAsync(() => (seen = _exchange.KeySignedThrough(onSecond)) == key.ApiKey, what, seconds: 30, pollMilliseconds: 500,
                explain: () => $"last signed read through the other replica ({DateTime.UtcNow:HH:mm:ss.fff}): {seen}{Environment.NewLine}{_group.Logs()}");
        }
    }

    /// <summary>The replicas still running whose /readyz says they lead.</summary>
    private async Task<List<GatewayReplica>> LeadersAsync()
    {
        var leaders = new List<GatewayReplica>();
        foreach (var replica in Replicas.Where(r => !r.HasExited))
        {
            using var ops = replica.CreateOpsClient();
            if ((await ops.GetStringAsync(new Uri("readyz", UriKind.Relative))).Contains("is the leader", StringComparison.Ordinal))
            {
                leaders.Add(replica);
            }
        }

        return leaders;
    }
}
