using Microsoft.Extensions.Configuration;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class EnvironmentKeyProviderTests
{
    private static readonly string LiveKey = "LIVEkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string LiveSecret = "LIVEsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetKey = "TESTNETkey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string TestnetSecret = "TESTNETsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    // The process environment is the test runner's: these tests see only what they set.
    private static EnvironmentKeyProvider Provider(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build(), _ => null);

    [Fact]
    public async Task SecretFromTheEnvironment_IsReadAsBytes_AndTheReadBufferIsWiped()
    {
        var handedOut = System.Text.Encoding.UTF8.GetBytes(LiveSecret);
        var provider = new EnvironmentKeyProvider(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BINANCE_API_KEY"] = LiveKey }).Build(),
            name => name == "BINANCE_SECRET" ? handedOut : null);

        using var material = await provider.ReadAsync(KeySet.DefaultFor(TradingMode.Live), CancellationToken.None);

        Assert.Equal(LiveSecret, System.Text.Encoding.UTF8.GetString(material.Secret));
        Assert.All(handedOut, b => Assert.Equal(0, b));
    }

    [Fact]
    public void EnvironmentBlock_IsSearchedByExactName()
    {
        var block = "BINANCE_SECRET_OLD=old\0PATH=/bin\0BINANCE_SECRET=s3cr=et\0"u8;

        Assert.Equal("s3cr=et"u8.ToArray(), ProcessEnvironment.Find(block, "BINANCE_SECRET"));
        Assert.Equal("/bin"u8.ToArray(), ProcessEnvironment.Find(block, "PATH"));
        Assert.Null(ProcessEnvironment.Find(block, "BINANCE_TESTNET_SECRET"));
    }

    [Fact]
    public void ProcessEnvironment_ReadsThePlatformsBlock()
    {
        // PATH is in every test runner's start-up environment.
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), System.Text.Encoding.UTF8.GetString(ProcessEnvironment.ReadBytes("PATH")!));
    }

    [Fact]
    public void TheConfiguration_NeverHoldsExchangeSecretsFromTheEnvironment()
    {
        var canary = "CANARYsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var visible = "TF_TEST_VISIBLE_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        Environment.SetEnvironmentVariable("BINANCE_TESTNET_SECRET", canary);
        Environment.SetEnvironmentVariable(visible, "yes");
        try
        {
            var builder = new ConfigurationBuilder().AddEnvironmentVariables();
            ProcessEnvironment.KeepSecretsOutOf(builder);
            var configuration = builder.Build();

            Assert.Null(configuration["BINANCE_TESTNET_SECRET"]);
            Assert.Equal("yes", configuration[visible]);
            Assert.DoesNotContain(configuration.AsEnumerable(), e => e.Value == canary);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BINANCE_TESTNET_SECRET", null);
            Environment.SetEnvironmentVariable(visible, null);
        }
    }

    [Fact]
    public void GeneratePaperKey_IsFreshPerProcessStart()
    {
        using var first = EnvironmentKeyProvider.GeneratePaperKey();
        using var second = EnvironmentKeyProvider.GeneratePaperKey();

        Assert.NotEqual(first.ApiKey, second.ApiKey);
        Assert.False(first.Secret.AsSpan().SequenceEqual(second.Secret));
    }

    [Fact]
    public async Task Read_LiveWithoutKeys_RefusesNamingTheVariables()
    {
        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => Provider().ReadAsync(KeySet.DefaultFor(TradingMode.Live), default));

        Assert.Contains("BINANCE_API_KEY", error.Message);
        Assert.Contains("BINANCE_SECRET", error.Message);
    }

    [Fact]
    public async Task Read_LiveWithOnlyTestnetKeys_Refuses()
    {
        var provider = Provider(("BINANCE_TESTNET_API_KEY", TestnetKey), ("BINANCE_TESTNET_SECRET", TestnetSecret));

        await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(KeySet.DefaultFor(TradingMode.Live), default));
    }

    [Fact]
    public async Task Read_EachModeReadsOnlyItsOwnVariables()
    {
        var provider = Provider(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", LiveSecret),
            ("BINANCE_TESTNET_API_KEY", TestnetKey), ("BINANCE_TESTNET_SECRET", TestnetSecret));

        using var live = await provider.ReadAsync(KeySet.DefaultFor(TradingMode.Live), default);
        using var testnet = await provider.ReadAsync(KeySet.DefaultFor(TradingMode.Testnet), default);

        Assert.Equal(LiveKey, live.ApiKey);
        Assert.Equal(TestnetKey, testnet.ApiKey);
        Assert.Equal(LiveSecret, System.Text.Encoding.UTF8.GetString(live.Secret));
    }

    [Theory]
    [InlineData("xxx")]
    [InlineData("your_api_key_here")]
    [InlineData("short-key")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("changeme-changeme-changeme-changeme-1234")]
    public async Task Read_PlaceholderSecret_RefusesWithoutEchoingIt(string placeholder)
    {
        var provider = Provider(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", placeholder));

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(KeySet.DefaultFor(TradingMode.Live), default));

        Assert.Contains("BINANCE_SECRET", error.Message);
        Assert.Contains("placeholder", error.Message);
        Assert.DoesNotContain(placeholder, error.Message);
    }

    [Fact]
    public async Task Read_PlaceholderApiKey_Refuses()
    {
        var provider = Provider(("BINANCE_API_KEY", "your_api_key_here"), ("BINANCE_SECRET", LiveSecret));

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(KeySet.DefaultFor(TradingMode.Live), default));

        Assert.Contains("BINANCE_API_KEY", error.Message);
    }

    [UnixFact]
    public async Task Read_PrivateKeyFile_LoadsEd25519_AndRefusesAGroupReadableFile()
    {
        using var dir = new ScopedTempDirectory("tf-envkey");
        var key = TestKey.Ed25519();
        var path = Path.Combine(dir.Path, "ed25519.pem");
        await File.WriteAllTextAsync(path, key.PrivateKeyPem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var provider = Provider(("BINANCE_TESTNET_API_KEY", key.ApiKey), ("BINANCE_TESTNET_PRIVATE_KEY_FILE", path));

        using (var material = await provider.ReadAsync(KeySet.DefaultFor(TradingMode.Testnet), default))
        using (var loaded = ExchangeKey.Create(KeySet.DefaultFor(TradingMode.Testnet), material, KeyFactory.TestnetHost, DateTimeOffset.UnixEpoch))
        {
            Assert.Equal(ExchangeKeyType.Ed25519, loaded.Type);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(KeySet.DefaultFor(TradingMode.Testnet), default));
        Assert.Contains("group/others", error.Message);
    }

    [Fact]
    public async Task Read_NamedSet_IsRefusedBecauseTheEnvironmentOnlyHoldsTheDefaultKey()
    {
        var provider = Provider(("BINANCE_API_KEY", LiveKey), ("BINANCE_SECRET", LiveSecret));

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() =>
            provider.ReadAsync(new KeySet("live-read", TradingMode.Live, KeyPurpose.Read, KeySet.DefaultGroup), default));

        Assert.Contains("files or vault", error.Message);
    }

    [Fact]
    public void Key_ToString_ShowsFingerprintNotKeyOrSecret()
    {
        using var live = KeyFactory.Hmac(LiveKey, LiveSecret, TradingMode.Live);

        var text = live.ToString();

        Assert.DoesNotContain(LiveKey, text);
        Assert.DoesNotContain(LiveSecret, text);
        Assert.Contains("fp:", text);
    }
}
