using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Identity;

/// <summary>The registry in a real PostgreSQL, as replicas share it.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class SharedRegistryTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-registry");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Fact]
    public async Task TwoReplicasWritingAtOnce_LoseNoUpdate()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        using var start = new Barrier(2);
        var writers = new[] { "one", "two" }.Select(replica => new Thread(() =>
        {
            var registry = new BotRegistry(new PostgresRegistryStorage(source, "bots"));
            start.SignalAndWait();
            for (var i = 0; i < 30; i++)
            {
                registry.Upsert(new BotRecord { Name = $"{replica}{i}", CertificateSha256 = $"{replica}{i}" });
            }
        })).ToList();

        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());

        Assert.Equal(60, new BotRegistry(new PostgresRegistryStorage(source, "bots")).All().Count);
    }

    [Fact]
    public async Task AChangeOnOneReplica_IsSeenByAnotherOnceItRefreshes_AndAStaleReloadNeverUndoesIt()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        var writerStorage = new PostgresRegistryStorage(source, "bots");
        var readerStorage = new PostgresRegistryStorage(source, "bots");
        var writer = new BotRegistry(writerStorage);
        var reader = new BotRegistry(readerStorage);
        writer.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        Assert.Null(reader.FindByName("alpha")); // requests read memory only: the listener's refresh brings the change

        await readerStorage.RefreshAsync(CancellationToken.None);
        Assert.NotNull(reader.FindByName("alpha"));

        writer.SetStatus("alpha", BotStatus.Revoked);
        await writerStorage.RefreshAsync(CancellationToken.None); // same version: a no-op, never a step back
        Assert.Equal(BotStatus.Revoked, writer.FindByName("alpha")!.Status);
    }

    [Fact]
    public async Task SwitchingASingleNodeToReplicas_KeepsItsBots_AndTheFileIsNotReadAgain()
    {
        var file = Path.Combine(_dir, "bots.json");
        new BotRegistry(file).Upsert(new BotRecord { Name = "alpha", CertificateSha256 = "ab" });
        await using var source = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());

        var shared = new BotRegistry(new PostgresRegistryStorage(source, "bots", importFile: file));
        Assert.NotNull(shared.FindByName("alpha"));

        new BotRegistry(file).Upsert(new BotRecord { Name = "late", CertificateSha256 = "cd" }); // the old file is history now
        Assert.Null(new BotRegistry(new PostgresRegistryStorage(source, "bots", importFile: file)).FindByName("late"));
    }

    private static X509Certificate2 Certificate(string name)
    {
        using var key = ECDsa.Create();
        return new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
    }

    [Fact]
    public async Task ACertificateRegisteredOnAnotherReplica_IsFoundBeforeItsNotification_ReadingAtMostEvery100ms()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        var time = new FakeTimeProvider();
        var other = new BotRegistry(new PostgresRegistryStorage(source, "bots"));
        var here = new BotRegistry(new PostgresRegistryStorage(source, "bots", time: time)); // no listener: memory only until asked
        using var alpha = Certificate("alpha");
        using var beta = Certificate("beta");

        other.Upsert(new BotRecord { Name = "alpha", CertificateSha256 = BotRegistry.Thumbprint(alpha) });
        Assert.Null(here.Lookup(alpha).Bot);
        Assert.Equal("alpha", (await here.LookupAgainAsync(alpha, CancellationToken.None))?.Bot?.Name);

        // Another unknown certificate straight after (a revoked bot retrying, say) does not reach the database again yet.
        other.Upsert(new BotRecord { Name = "beta", CertificateSha256 = BotRegistry.Thumbprint(beta) });
        Assert.Null(await here.LookupAgainAsync(beta, CancellationToken.None));
        time.Advance(PostgresRegistryStorage.AskAtMostEvery);
        Assert.Equal("beta", (await here.LookupAgainAsync(beta, CancellationToken.None))?.Bot?.Name);
    }

    [Fact]
    public async Task OnASingleNode_LookingAgainReadsNothingMore()
    {
        using var alpha = Certificate("alpha");
        var registry = new BotRegistry(Path.Combine(_dir, "bots.json"));

        // The file's own check already ran in Lookup (a fresh look for an unknown certificate).
        Assert.Null(registry.Lookup(alpha).Bot);
        Assert.Null(await registry.LookupAgainAsync(alpha, CancellationToken.None));
    }
}
