using System.Net;
using System.Text.Json;
using TradeFinder.PaperExchange.Hosting;
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
    private readonly ScopedTempDirectory _keys = new("tf-keys");
    private readonly List<GatewayReplica> _replicas = [];
    private PostgresServer _postgres = null!;
    private PaperExchangeServer _exchange = null!;

    public async Task InitializeAsync()
    {
        _key.WriteTo(_keys.Path, "testnet");
        _postgres = await PostgresServer.ForTestsAsync();
        _exchange = await TestExchange.StartAsync(_key.ToPaperCredential());
        var settings = TestExchange.FileKeySettings(_keys.Path, _exchange);
        settings["Gateway:Cluster:Postgres"] = await _postgres.CreateDatabaseAsync();
        settings["Gateway:Streams:WatchAccounts"] = "false";
        settings["Gateway:DefaultLimits:MaxOpenOrders"] = "2";
        var first = await GatewayReplica.StartAsync(settings);
        _replicas.Add(first);
        _replicas.Add(await GatewayReplica.StartAsync(settings, first));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _exchange.DisposeAsync();
        await _postgres.DisposeAsync();
        _keys.Dispose();
    }

    [Fact]
    public async Task OrdersPlacedThroughBothReplicas_CountTogether_AndEitherReplicaCancelsTheBotsOwn()
    {
        var certificate = await _replicas[0].IssueBotAsync("alpha", "testnet");
        using var onFirst = _replicas[0].CreateClient(certificate);
        using var onSecond = _replicas[1].CreateClient(certificate);

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
