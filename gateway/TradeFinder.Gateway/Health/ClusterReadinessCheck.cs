using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Cluster;

namespace TradeFinder.Gateway.Health;

/// <summary>
/// A replica without its shared Redis still serves (degraded, not unready: taking every replica out of the load
/// balancer when Redis fails would stop cancels too), on its share of the budget and without orders that add risk.
/// </summary>
internal sealed class ClusterReadinessCheck(SharedRedis redis, ClusterMembership membership, ExchangeBudgets budgets) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis.Available && budgets.FallbackReplicas == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Replica {redis.ReplicaId}: budgets shared through Redis with {membership.LiveReplicas} replica(s)."));
        }

        var share = Math.Max(budgets.FallbackReplicas, membership.LiveReplicas);
        return Task.FromResult(HealthCheckResult.Degraded(
            $"Replica {redis.ReplicaId}: shared Redis unreachable; working from 1/{share} of the exchange's budget, refusing orders that add risk (cancels and reduce-only orders pass)."));
    }
}
