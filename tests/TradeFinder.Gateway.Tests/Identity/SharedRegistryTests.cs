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
}
