using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Tests.Anomalies;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Cluster;

/// <summary>Leadership among replicas on a real PostgreSQL advisory lock.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ClusterLeadershipTests(PostgresFixture postgres) : IDisposable
{
    private readonly GatewayMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    private ClusterLeadership Replica(string connectionString) =>
        new(Options.Create(new ClusterOptions { Postgres = connectionString }), TimeProvider.System, _metrics, NullLogger<ClusterLeadership>.Instance);

    [Fact]
    public async Task OneReplicaLeads_AndWhenItStops_AnotherTakesTheLead()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var first = Replica(database);
        var second = Replica(database);

        await first.TryLeadAsync(CancellationToken.None);
        await second.TryLeadAsync(CancellationToken.None);
        await first.TryLeadAsync(CancellationToken.None); // still held: a check, not a second term
        Assert.True(first.IsLeader);
        Assert.False(second.IsLeader);
        Assert.Equal(1, first.Terms);

        await first.StopAsync(CancellationToken.None);
        Assert.False(first.IsLeader);
        await second.TryLeadAsync(CancellationToken.None);
        Assert.True(second.IsLeader);
        await second.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void WithoutTheClustersPostgres_TheSingleNodeAlwaysLeads() =>
        Assert.True(new ClusterLeadership(Options.Create(new ClusterOptions()), TimeProvider.System, _metrics, NullLogger<ClusterLeadership>.Instance).IsLeader);

    [Fact]
    public async Task AFollower_LeavesAccountWideFindingsToTheLeader_ButReportsWhatItsOwnBotsDo()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var leader = Replica(database);
        var follower = Replica(database);
        await leader.TryLeadAsync(CancellationToken.None);
        await follower.TryLeadAsync(CancellationToken.None);
        var options = Options.Create(new AnomaliesOptions());
        var monitor = new AnomalyMonitor(null!, null!, null!, _metrics, new StaticOptionsMonitor(options.Value), new AnomalySettings(options), TimeProvider.System,
            NullLogger<AnomalyMonitor>.Instance, follower);

        monitor.Report(AnomalyMonitor.BalanceChange, AnomalySeverity.Warning, null, "live", "balance moved outside trading");
        monitor.Report(AnomalyMonitor.Probing, AnomalySeverity.Warning, "alpha", null, "refusals");

        Assert.Equal([AnomalyMonitor.Probing], monitor.Recent.Select(a => a.Kind));
        await leader.StopAsync(CancellationToken.None);
    }
}
