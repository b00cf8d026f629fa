using Microsoft.Extensions.Configuration;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class EnvironmentKeyLoaderTests
{
    private static readonly string LiveKey = "LIVEkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string LiveSecret = "LIVEsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetKey = "TESTNETkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetSecret = "TESTNETsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    [Fact]
    public void Load_Paper_HoldsOnlyAFreshPaperKey()
    {
        var warnings = new List<string>();
        using var store = EnvironmentKeyLoader.Load(Config(), TradingMode.Paper, warnings);
        using var other = EnvironmentKeyLoader.Load(Config(), TradingMode.Paper, warnings);

        Assert.Equal([TradingMode.Paper], store.Modes);
        store.TryGet(TradingMode.Paper, out var first);
        other.TryGet(TradingMode.Paper, out var second);
        Assert.NotEqual(first.ApiKey, second.ApiKey);
    }

    [Fact]
    public void Load_LiveWithoutKeys_RefusesNamingTheVariables()
    {
        var error = Assert.Throws<GatewayStartupException>(() => EnvironmentKeyLoader.Load(Config(), TradingMode.Live, []));

        Assert.Contains("BINANCE_API_KEY", error.Message);
        Assert.Contains("BINANCE_SECRET", error.Message);
    }

    [Fact]
    public void Load_LiveWithOnlyTestnetKeys_Refuses()
    {
        var config = Config(("BINANCE_TESTNET_API_KEY", TestnetKey), ("BINANCE_TESTNET_SECRET", TestnetSecret));

        Assert.Throws<GatewayStartupException>(() => EnvironmentKeyLoader.Load(config, TradingMode.Live, []));
    }

    [Fact]
    public void Load_LiveWithBothKeys_UsesProductionKeyAndWarnsAboutTestnet()
    {
        var warnings = new List<string>();
        var config = Config(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", LiveSecret),
            ("BINANCE_TESTNET_API_KEY", TestnetKey), ("BINANCE_TESTNET_SECRET", TestnetSecret));

        using var store = EnvironmentKeyLoader.Load(config, TradingMode.Live, warnings);

        Assert.True(store.TryGet(TradingMode.Live, out var live));
        Assert.Equal(LiveKey, live.ApiKey);
        Assert.False(store.TryGet(TradingMode.Testnet, out _));
        Assert.Contains(warnings, w => w.Contains("BINANCE_TESTNET_API_KEY") && w.Contains("ignored"));
        Assert.DoesNotContain(warnings, w => w.Contains(TestnetSecret) || w.Contains(TestnetKey));
    }

    [Fact]
    public void Load_TestnetWithKeys_NeverLoadsProductionKey()
    {
        var config = Config(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", LiveSecret),
            ("BINANCE_TESTNET_API_KEY", TestnetKey), ("BINANCE_TESTNET_SECRET", TestnetSecret));

        using var store = EnvironmentKeyLoader.Load(config, TradingMode.Testnet, []);

        Assert.True(store.TryGet(TradingMode.Testnet, out var testnet));
        Assert.Equal(TestnetKey, testnet.ApiKey);
        Assert.False(store.TryGet(TradingMode.Live, out _));
    }

    [Theory]
    [InlineData("xxx")]
    [InlineData("your_api_key_here")]
    [InlineData("short-key")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("changeme-changeme-changeme-changeme-1234")]
    public void Load_PlaceholderSecret_RefusesWithoutEchoingIt(string placeholder)
    {
        var config = Config(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", placeholder));

        var error = Assert.Throws<GatewayStartupException>(() => EnvironmentKeyLoader.Load(config, TradingMode.Live, []));

        Assert.Contains("BINANCE_SECRET", error.Message);
        Assert.Contains("placeholder", error.Message);
        Assert.DoesNotContain(placeholder, error.Message);
    }

    [Fact]
    public void Credential_ToString_ShowsFingerprintNotKeyOrSecret()
    {
        using var store = EnvironmentKeyLoader.Load(Config(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", LiveSecret)), TradingMode.Live, []);
        store.TryGet(TradingMode.Live, out var live);

        var text = live.ToString();

        Assert.DoesNotContain(LiveKey, text);
        Assert.DoesNotContain(LiveSecret, text);
        Assert.Contains("fp:", text);
    }
}
