using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Signing;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class KeyRingTests
{
    private static KeySlot Slot(string name, TradingMode mode, KeyPurpose purpose, string group = KeySet.DefaultGroup) =>
        new(new KeySet(name, mode, purpose, group), new FileKeyProvider("/nonexistent"), KeyFactory.From(TestKey.Hmac(), mode, purpose: purpose, group: group, setName: name));

    [Fact]
    public void Resolve_ReadPrefersTheReadKey_TradeNeverUsesIt()
    {
        using var ring = new KeyRing([Slot("live", TradingMode.Live, KeyPurpose.Trade), Slot("live-read", TradingMode.Live, KeyPurpose.Read)]);

        Assert.Equal("live-read", ring.Resolve(TradingMode.Live, KeyPurpose.Read, null)!.Set.Name);
        Assert.Equal("live", ring.Resolve(TradingMode.Live, KeyPurpose.Trade, null)!.Set.Name);
    }

    [Fact]
    public void Resolve_WithoutAReadKey_ReadsUseTheTradingKey()
    {
        using var ring = new KeyRing([Slot("live", TradingMode.Live, KeyPurpose.Trade)]);

        Assert.Equal("live", ring.Resolve(TradingMode.Live, KeyPurpose.Read, null)!.Set.Name);
    }

    [Fact]
    public void Resolve_BotGroupGetsItsOwnKey_AndNeverAnotherGroups()
    {
        using var ring = new KeyRing([Slot("live", TradingMode.Live, KeyPurpose.Trade), Slot("live-mm", TradingMode.Live, KeyPurpose.Trade, "mm")]);

        Assert.Equal("live-mm", ring.Resolve(TradingMode.Live, KeyPurpose.Trade, "mm")!.Set.Name);
        Assert.Equal("live-mm", ring.Resolve(TradingMode.Live, KeyPurpose.Read, "mm")!.Set.Name);
        Assert.Equal("live", ring.Resolve(TradingMode.Live, KeyPurpose.Trade, null)!.Set.Name);

        // A group without keys is another account with no key, not the default group's account.
        Assert.Null(ring.Resolve(TradingMode.Live, KeyPurpose.Trade, "trend"));
        Assert.Null(ring.Resolve(TradingMode.Live, KeyPurpose.Read, "trend"));
    }

    [Fact]
    public void Resolve_NeverCrossesModes()
    {
        using var ring = new KeyRing([Slot("testnet", TradingMode.Testnet, KeyPurpose.Trade)]);

        Assert.Null(ring.Resolve(TradingMode.Live, KeyPurpose.Trade, null));
        Assert.Null(ring.Resolve(TradingMode.Live, KeyPurpose.Read, null));
    }

    [Fact]
    public void Promote_KeepsThePreviousForRollback_AndRollbackRetiresTheReplacement()
    {
        var slot = Slot("live", TradingMode.Live, KeyPurpose.Trade);
        var first = slot.Active;
        var second = KeyFactory.From(TestKey.Hmac(), TradingMode.Live, "v2", setName: "live");

        slot.Promote(second, DateTimeOffset.MaxValue, keepPrevious: true);
        Assert.Same(second, slot.Active);
        Assert.Same(first, slot.Previous);
        Assert.False(first.IsRetired);

        slot.RollBack();
        Assert.Same(first, slot.Active);
        Assert.Null(slot.Previous);
        Assert.True(second.IsRetired);
    }

    [Fact]
    public void TestnetKey_IsNeverSentToTheLiveHost()
    {
        using var testnet = KeyFactory.From(TestKey.Hmac(), TradingMode.Testnet);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://fapi.binance.com/fapi/v2/account");

        var error = Assert.Throws<InvalidOperationException>(() => SigningTransform.ApplyKey(request, testnet, new Uri("https://fapi.binance.com/fapi/v2/account")));

        Assert.Contains("bound to https://testnet.binancefuture.com", error.Message);
        Assert.False(request.Headers.Contains(SigningTransform.ApiKeyHeader));
        Assert.DoesNotContain(testnet.ApiKey, error.Message);
    }
}
