using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Cluster;

/// <summary>
/// Replicas that watch the key source they share: each rotates by itself when the source changes and announces it, so
/// every replica also hears that the others made the step it made already. Following must then do nothing, and above
/// all not undo an operator's rollback made meanwhile.
/// </summary>
[Collection(ReplicasCollection.Name)]
public sealed class ReplicaKeyWatchTests : IAsyncLifetime
{
    private readonly TestKey _key = TestKey.Hmac();
    private readonly TestKey _next = TestKey.Hmac("NEXTkey");
    private readonly ReplicaGroup _group = new();
    private PaperExchangeServer _exchange = null!;

    private List<GatewayReplica> Replicas => _group.Replicas;

    public async Task InitializeAsync() => _exchange = await _group.StartOnSharedStateAsync(2, [_key, _next], settings =>
    {
        settings["Gateway:Keys:Watch"] = "true";
        settings["Serilog:MinimumLevel:Override:TradeFinder.Gateway.Keys"] = "Information";
    });

    public async Task DisposeAsync() => await _group.DisposeAsync();

    [Fact]
    public async Task ARollbackRightAfterEveryReplicaRotatedByItself_HoldsOnEveryReplica()
    {
        var certificate = await Replicas[0].IssueBotAsync("alpha", "testnet");
        await Replicas[0].IssueAdminAsync("sre");
        var bots = Replicas.Select(r => r.CreateClient(certificate)).ToList();
        try
        {
            _next.WriteTo(_group.KeysDir, "testnet");
            await Eventually.TrueAsync(() => bots.All(b => _exchange.KeySignedThrough(b) == _next.ApiKey), "both replicas rotate by themselves", explain: _group.Logs);

            var (code, output, error) = await Replicas[0].CliAsync("keys", "rollback");
            Assert.True(code == 0, output + error);
            await Eventually.TrueAsync(() => bots.All(b => _exchange.KeySignedThrough(b) == _key.ApiKey), "both replicas sign with the previous key", explain: _group.Logs);

            // Announcements of the rotation each replica made itself were still being followed (a follower retried an
            // "unchanged" source for seconds, then promoted the source's key again): the rollback must outlast that.
            await Task.Delay(TimeSpan.FromSeconds(6));
            foreach (var bot in bots)
            {
                Assert.True(_exchange.KeySignedThrough(bot) == _key.ApiKey, _group.Logs());
            }
        }
        finally
        {
            bots.ForEach(b => b.Dispose());
        }
    }
}
