using System.Net;
using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Cluster;

/// <summary>
/// The ownership and exposure ledger shared by replicas through PostgreSQL: what a bot placed through one replica counts
/// on the other, and is its own there. The account's user-data stream is off here, so only the shared ledger can tell.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaLedgerTests : IAsyncLifetime
{
    private const string NewOrder = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000";
    private readonly TestKey _key = TestKey.Hmac();
    private readonly ReplicaGroup _group = new();

    private List<GatewayReplica> Replicas => _group.Replicas;

    public async Task InitializeAsync() => await _group.StartOnSharedStateAsync(2, [_key], settings =>
    {
        settings["Gateway:Streams:WatchAccounts"] = "false";
        settings["Gateway:DefaultLimits:MaxOpenOrders"] = "2";
    });

    public async Task DisposeAsync() => await _group.DisposeAsync();

    [Fact]
    public async Task OrdersPlacedThroughBothReplicas_CountTogether_AndEitherReplicaCancelsTheBotsOwn()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        using var onFirst = Replicas[0].CreateClient(certificate);
        using var onSecond = Replicas[1].CreateClient(certificate);

        var first = await PlaceAsync(onFirst);
        var second = await PlaceAsync(onSecond);
        await Task.Delay(1_000);

        // Two open orders, one on each replica: the limit of two holds on both.
        foreach (var bot in new[] { onFirst, onSecond })
        {
            using var third = await bot.PostAsync(new Uri(NewOrder, UriKind.Relative), null);
            var body = await third.Content.ReadAsStringAsync();
            Assert.False(third.IsSuccessStatusCode, body);
            Assert.Contains("2 orders of this bot already open or in flight on BTCUSDT (limit 2)", body, StringComparison.Ordinal);
        }

        // The order placed through the second replica is the bot's own on the first.
        using (var cancel = await onFirst.DeleteAsync(new Uri($"fapi/v1/order?symbol=BTCUSDT&orderId={second}", UriKind.Relative)))
        {
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        }

        await Task.Delay(1_000);
        Assert.NotEqual(0, await PlaceAsync(onSecond)); // room again on the other replica too
        Assert.NotEqual(first, second);
    }

    private static async Task<long> PlaceAsync(HttpClient bot)
    {
        using var response = await bot.PostAsync(new Uri(NewOrder, UriKind.Relative), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetInt64();
    }
}
