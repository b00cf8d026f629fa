using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>
/// The Vault provider against <see cref="FakeVaultServer"/>, a loopback fake of the documented KV v2 and
/// AppRole HTTP API: neither Vault nor OpenBao can be installed on this machine.
/// </summary>
public sealed class VaultKeyProviderTests : IAsyncLifetime
{
    private static readonly KeySet Live = KeySet.DefaultFor(TradingMode.Live);
    private FakeVaultServer _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeVaultServer.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private VaultKeyProvider Provider(bool appRole, TimeProvider? time = null, string? secretIdFile = null) => new(
        new VaultOptions { Address = _vault.Address.ToString(), RoleId = appRole ? _vault.RoleId : null, SecretIdFile = secretIdFile },
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [VaultKeyProvider.TokenVariable] = appRole ? null : _vault.RootToken,
            [VaultKeyProvider.SecretIdVariable] = appRole ? _vault.SecretId : null,
        }).Build(),
        time ?? TimeProvider.System);

    private void PutHmac(TestKey key) =>
        _vault.Put("secret/tradefinder/live", new Dictionary<string, string> { ["api_key"] = key.ApiKey, ["secret"] = Encoding.ASCII.GetString(key.Secret) });

    [Fact]
    public async Task TokenAuth_ReadsTheSecret_AndANewVersionIsANewKeyVersion()
    {
        var first = TestKey.Hmac();
        PutHmac(first);
        using var provider = Provider(appRole: false);

        using (var material = await provider.ReadAsync(Live, default))
        {
            Assert.Equal(first.ApiKey, material.ApiKey);
            Assert.Equal(first.Secret, material.Secret);
            Assert.Equal("v1", material.Version);
        }

        PutHmac(TestKey.Hmac());
        using var second = await provider.ReadAsync(Live, default);
        Assert.Equal("v2", second.Version);
    }

    [Fact]
    public async Task AppRole_LogsInOnce_AndLogsInAgainWhenTheTokenExpires()
    {
        PutHmac(TestKey.Hmac());
        using var provider = Provider(appRole: true);

        (await provider.ReadAsync(Live, default)).Dispose();
        (await provider.ReadAsync(Live, default)).Dispose();
        Assert.Equal(1, _vault.Logins);

        _vault.ExpireIssuedTokens();
        using var material = await provider.ReadAsync(Live, default);

        Assert.Equal(2, _vault.Logins);
        Assert.Equal(1, _vault.Refused);
    }

    [Fact]
    public async Task AppRole_RenewsBeforeTheLeaseEnds_WithoutBeingRefused()
    {
        PutHmac(TestKey.Hmac());
        _vault.TokenTtlSeconds = 100;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = Provider(appRole: true, time);
        (await provider.ReadAsync(Live, default)).Dispose();

        time.Advance(TimeSpan.FromSeconds(81));
        (await provider.ReadAsync(Live, default)).Dispose();

        Assert.Equal(2, _vault.Logins);
        Assert.Equal(0, _vault.Refused);
    }

    [Fact]
    public async Task PrivateKeyField_LoadsAnEd25519Key()
    {
        var key = TestKey.Ed25519();
        _vault.Put("secret/tradefinder/live", new Dictionary<string, string> { ["api_key"] = key.ApiKey, ["private_key"] = key.PrivateKeyPem! });
        using var provider = Provider(appRole: false);

        using var material = await provider.ReadAsync(Live, default);
        using var loaded = ExchangeKey.Create(Live, material, new Uri("https://fapi.binance.com/"), DateTimeOffset.UnixEpoch);

        Assert.Equal(ExchangeKeyType.Ed25519, loaded.Type);
    }

    [Fact]
    public async Task Failures_SayWhatIsWrong_WithoutSecrets()
    {
        using var provider = Provider(appRole: false);
        var missing = await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(Live, default));
        Assert.Contains("no secret at vault secret/data/tradefinder/live", missing.Message);

        var key = TestKey.Hmac();
        _vault.Put("secret/tradefinder/live", new Dictionary<string, string> { ["api_key"] = key.ApiKey });
        var incomplete = await Assert.ThrowsAsync<KeyMaterialException>(() => provider.ReadAsync(Live, default));
        Assert.Contains("api_key and secret", incomplete.Message);
        Assert.DoesNotContain(key.ApiKey, incomplete.Message);
        Assert.DoesNotContain(_vault.RootToken, incomplete.Message);
    }

    [Fact]
    public void PlainHttpOffLoopback_IsRefused()
    {
        var error = Assert.Throws<KeyMaterialException>(() => new VaultKeyProvider(
            new VaultOptions { Address = "http://vault.internal:8200" },
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [VaultKeyProvider.TokenVariable] = "t" }).Build(),
            TimeProvider.System));

        Assert.Contains("https", error.Message);
    }
}
