using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Identity;

public sealed class BotRegistryTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-registry");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Fact]
    public void TwoWritersAtOnce_LoseNoUpdate()
    {
        // Two registries on one file, each on its own thread, stand for the CLI and the running gateway's admin API.
        var path = Path.Combine(_dir, "registry", "bots.json");
        using var start = new Barrier(2);
        var writers = new[] { "cli", "admin" }.Select(writer => new Thread(() =>
        {
            var registry = new BotRegistry(path);
            start.SignalAndWait();
            for (var i = 0; i < 30; i++)
            {
                registry.Upsert(new BotRecord { Name = $"{writer}{i}", CertificateSha256 = $"{writer}{i}" });
            }
        })).ToList();

        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());

        Assert.Equal(60, new BotRegistry(path).All().Count);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"bots\":[{\"name\":\"alpha\",\"certificateSha256\":\"ab\"}]}")]
    public void AHandWrittenFile_WithFieldsLeftOut_ReadsWithTheDefaults(string json)
    {
        // Operators edit this file; what they leave out is what a new record has, not a zero or a null.
        var path = Path.Combine(_dir, "registry", "bots.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);

        var registry = new BotRegistry(path);

        Assert.Equal(TradingState.Active, registry.GlobalState);
        Assert.All(registry.All(), b => Assert.Equal((BotStatus.Active, TradingState.Active), (b.Status, b.State)));
        Assert.Equal(json.Contains("alpha", StringComparison.Ordinal) ? 1 : 0, registry.All().Count);
    }

    [Fact]
    public void AChange_IsSeenByAnotherInstanceOnItsNextLookup()
    {
        var path = Path.Combine(_dir, "registry", "bots.json");
        var writer = new BotRegistry(path);
        var reader = new BotRegistry(path);
        writer.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        Assert.Equal(BotStatus.Active, reader.FindByName("alpha")!.Status);

        writer.SetStatus("alpha", BotStatus.Revoked);

        Assert.Equal(BotStatus.Revoked, reader.FindByName("alpha")!.Status);
    }

    [Fact]
    public void AnotherProcesssEdit_IsSeenWithinTheRecheckInterval_WithoutAStatPerLookup()
    {
        var path = Path.Combine(_dir, "registry", "bots.json");
        var time = new FakeTimeProvider();
        var reader = new BotRegistry(new FileRegistryStorage(path, time));
        new BotRegistry(path).Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        Assert.Equal(BotStatus.Active, reader.FindByName("alpha")!.Status);

        // As the ops CLI in its own process would: the file replaced, nothing in this process told.
        var elsewhere = Path.Combine(_dir, "elsewhere", "bots.json");
        var other = new BotRegistry(elsewhere);
        other.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        other.SetStatus("alpha", BotStatus.Revoked);
        File.Copy(elsewhere, path, overwrite: true);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddDays(1));

        Assert.Equal(BotStatus.Active, reader.FindByName("alpha")!.Status); // not looked at on every request
        time.Advance(FileRegistryStorage.RecheckEvery);
        Assert.Equal(BotStatus.Revoked, reader.FindByName("alpha")!.Status);
    }

    [Fact]
    public void ACertificateIssuedByAnotherProcessAMomentAgo_IsFoundAtOnce_NotAfterTheRecheckInterval()
    {
        var path = Path.Combine(_dir, "registry", "bots.json");
        var time = new FakeTimeProvider();
        var reader = new BotRegistry(new FileRegistryStorage(path, time));
        new BotRegistry(path).Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        Assert.NotNull(reader.FindByName("alpha")); // the file has been looked at: the next look is throttled

        // The ops CLI, in its own process, issues a certificate for a new bot, which connects straight away.
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=beta", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var elsewhere = Path.Combine(_dir, "elsewhere", "bots.json");
        var other = new BotRegistry(elsewhere);
        other.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        other.Upsert(new BotRecord { Name = "beta", CertificateSha256 = BotRegistry.Thumbprint(certificate) });
        File.Copy(elsewhere, path, overwrite: true);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddDays(1));

        Assert.Equal("beta", reader.Lookup(certificate).Bot?.Name);
    }
}
