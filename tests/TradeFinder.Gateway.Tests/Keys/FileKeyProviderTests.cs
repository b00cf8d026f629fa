using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class FileKeyProviderTests
{
    private static readonly KeySet Live = KeySet.DefaultFor(TradingMode.Live);

    [Theory]
    [InlineData("hmac")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public async Task Read_LoadsEachKeyType(string type)
    {
        using var dir = new ScopedTempDirectory("tf-files");
        var key = TestKey.Of(type);
        key.WriteTo(dir.Path, "live");

        using var material = await new FileKeyProvider(dir.Path).ReadAsync(Live, default);
        using var loaded = ExchangeKey.Create(Live, material, new Uri("https://fapi.binance.com/"), DateTimeOffset.UnixEpoch);

        Assert.Equal(key.ApiKey, loaded.ApiKey);
        Assert.Equal(type, loaded.Type.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task Version_ChangesWhenTheFilesChange()
    {
        using var dir = new ScopedTempDirectory("tf-files");
        var provider = new FileKeyProvider(dir.Path);
        TestKey.Hmac().WriteTo(dir.Path, "live");
        using var first = await provider.ReadAsync(Live, default);
        using var same = await provider.ReadAsync(Live, default);

        TestKey.Hmac().WriteTo(dir.Path, "live");
        using var changed = await provider.ReadAsync(Live, default);

        Assert.Equal(first.Version, same.Version);
        Assert.NotEqual(first.Version, changed.Version);
    }

    [UnixTheory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public async Task GroupOrWorldAccessibleSecret_IsRefused(UnixFileMode extra)
    {
        using var dir = new ScopedTempDirectory("tf-files");
        TestKey.Hmac().WriteTo(dir.Path, "live");
        var secret = Path.Combine(dir.Path, "live", "secret");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => new FileKeyProvider(dir.Path).ReadAsync(Live, default));

        Assert.Contains(secret, error.Message);
        Assert.Contains("owner-only", error.Message);
    }

    [Fact]
    public async Task PlaceholderSecretFile_IsRefusedWithoutEchoingIt()
    {
        using var dir = new ScopedTempDirectory("tf-files");
        var key = TestKey.Hmac() with { Secret = "your_secret_here"u8.ToArray() };
        key.WriteTo(dir.Path, "live");

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => new FileKeyProvider(dir.Path).ReadAsync(Live, default));

        Assert.Contains("placeholder", error.Message);
        Assert.DoesNotContain("your_secret_here", error.Message);
    }

    [Fact]
    public async Task MissingSet_NamesThePathItExpected()
    {
        using var dir = new ScopedTempDirectory("tf-files");

        var error = await Assert.ThrowsAsync<KeyMaterialException>(() => new FileKeyProvider(dir.Path).ReadAsync(Live, default));

        Assert.Contains(Path.Combine(dir.Path, "live", "api-key"), error.Message);
    }
}
