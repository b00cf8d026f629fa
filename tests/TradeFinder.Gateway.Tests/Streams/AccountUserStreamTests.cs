using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Streams;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Streams;

public sealed class AccountUserStreamTests : IDisposable
{
    private static readonly ExchangeAccount Account = ExchangeAccount.Of(TradingMode.Paper, null);
    private readonly string _dir = TempDirectory.Create("tf-streams");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly OwnershipLedger _ledger;
    private readonly VirtualListenKeys _keys;
    private readonly AccountUserStream _stream;

    public AccountUserStreamTests()
    {
        var registry = new BotRegistry(new GatewayPaths(_dir));
        registry.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = new string('a', 64) });
        registry.Upsert(new BotRecord { Name = "beta", CertificateSha256 = new string('b', 64), ExclusiveSymbols = ["ETHUSDT"] });
        var policies = new BotPolicies(new Dictionary<string, ConfiguredBot>());
        _ledger = new OwnershipLedger(_time);
        _keys = new VirtualListenKeys(_time);
        _stream = new AccountUserStream(Account, null!, null!, _ledger, new BotTags(registry), new UserEventViews(_ledger, new SharedAccounts(registry, policies)), _keys, TimeSpan.FromHours(23), _time, NullLogger.Instance);
    }

    public void Dispose() => TempDirectory.Delete(_dir);

    private static BotIdentity Bot(string name) => new(name, TradingMode.Paper);

    /// <summary>A connection on the bot's key.</summary>
    private BotStreamSession Connect(string bot, int capacity = 4, long? since = null)
    {
        var key = _keys.Open(Bot(bot));
        var session = new BotStreamSession(capacity);
        _keys.FeedOf(bot, key)!.Attach(session, since);
        return session;
    }

    private static JsonElement OrderEvent(string clientId, string status, string executed) => JsonSerializer.SerializeToElement(new
    {
        e = "ORDER_TRADE_UPDATE", E = 1L, T = 1L,
        o = new Dictionary<string, object> // the exchange's field names differ only in case ("s" and "S")
        {
            ["s"] = "BTCUSDT", ["c"] = clientId, ["S"] = "BUY", ["q"] = "0.010", ["x"] = "TRADE", ["X"] = status, ["i"] = 77L, ["z"] = executed, ["ps"] = "BOTH", ["R"] = false,
        },
    });

    [Fact]
    public void OrderEvents_GoOnlyToTheirOwner_UnderItsId_AndTeachTheLedgerTheFill()
    {
        var clientId = ClientIds.Direct(ClientIds.Tag("alpha"), "a-1")!;
        var order = new OwnedOrder { Bot = "alpha", Account = Account, Symbol = "BTCUSDT", ClientId = clientId, BotClientId = "a-1", Side = "BUY", OrigQty = 0.01m };
        Assert.Null(_ledger.TryReserve([order], _ => null));
        var alpha = Connect("alpha");
        var beta = Connect("beta");

        Assert.True(_stream.Dispatch(OrderEvent(clientId, "FILLED", "0.010")));

        Assert.True(alpha.Events.TryRead(out var seen));
        Assert.Equal("a-1", JsonDocument.Parse(seen!).RootElement.GetProperty("o").GetProperty("c").GetString());
        Assert.Equal(1, JsonDocument.Parse(seen!).RootElement.GetProperty("gs").GetInt64());
        Assert.False(beta.Events.TryRead(out _));
        Assert.True(_ledger.Owns("alpha", Account, 77, algo: false));
        Assert.Empty(_ledger.OpenOrders("alpha"));
    }

    [Fact]
    public void AccountUpdates_CarryOnlyTheBotsSymbols_AndAnExpiredKeyEndsTheStream()
    {
        var alpha = Connect("alpha");
        var update = JsonSerializer.SerializeToElement(new
        {
            e = "ACCOUNT_UPDATE", E = 1L, T = 1L,
            a = new { m = "ORDER", B = new[] { new { a = "USDT", wb = "10" } }, P = new[] { new { s = "BTCUSDT", pa = "1" }, new { s = "ETHUSDT", pa = "2" } } },
        });

        _stream.Dispatch(update);

        Assert.True(alpha.Events.TryRead(out var seen));
        var positions = JsonDocument.Parse(seen!).RootElement.GetProperty("a").GetProperty("P");
        Assert.Equal(["BTCUSDT"], positions.EnumerateArray().Select(p => p.GetProperty("s").GetString())); // ETHUSDT is beta's alone
        Assert.False(_stream.Dispatch(JsonSerializer.SerializeToElement(new { e = "listenKeyExpired", E = 2L })));
    }

    [Fact]
    public void ASlowConsumer_IsCutOffAlone()
    {
        var update = JsonSerializer.SerializeToElement(new { e = "ACCOUNT_UPDATE", E = 1L, a = new { P = Array.Empty<object>() } });
        var slow = Connect("alpha", capacity: 2);
        var reading = Connect("alpha", capacity: 2);

        for (var i = 0; i < 5; i++)
        {
            _stream.Dispatch(update);
            reading.Events.TryRead(out _);
        }

        Assert.StartsWith("slow consumer", slow.EndReason);
        Assert.True(slow.Events.Completion.IsCompleted || slow.Events.Count == 2);
        Assert.Null(reading.EndReason);
    }

    [Fact]
    public void AReconnectingBot_GetsWhatItMissedWithinAMinute_AndIsToldOfAnOlderGap()
    {
        var update = JsonSerializer.SerializeToElement(new { e = "ACCOUNT_UPDATE", E = 1L, a = new { P = Array.Empty<object>() } });
        var key = _keys.Open(Bot("alpha"));
        for (var i = 0; i < 3; i++)
        {
            _stream.Dispatch(update); // nobody connected: numbered and kept all the same
        }

        var feed = _keys.FeedOf("alpha", key)!;
        var (replay, gap) = feed.Attach(new BotStreamSession(8), since: 1);
        Assert.Equal([2L, 3L], replay.Select(j => JsonDocument.Parse(j).RootElement.GetProperty("gs").GetInt64()));
        Assert.False(gap);

        _time.Advance(TimeSpan.FromMinutes(2));
        _stream.Dispatch(update);
        var (late, lateGap) = feed.Attach(new BotStreamSession(8), since: 1);
        Assert.Equal([4L], late.Select(j => JsonDocument.Parse(j).RootElement.GetProperty("gs").GetInt64()));
        Assert.True(lateGap);
        Assert.Null(_keys.FeedOf("beta", key));
    }
}
