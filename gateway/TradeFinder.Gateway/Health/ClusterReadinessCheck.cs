using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Cluster;

namespace TradeFinder.Gateway.Health;

/// <summary>
/// A replica's place in the cluster: leader or follower, and whether its budgets are shared. Without its shared Redis a
/// replica still serves (degraded, not unready: taking every replica out of the load balancer when Redis fails would
/// stop cancels too), on its share of the budget and without orders that add risk.
/// </summary>
internal sealed class ClusterReadinessCheck(ClusterLeadership leadership, ExchangeBudgets budgets, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var role = leadership.IsLeader ? "is the leader (position watch, account-wide alerts)" : "is a follower";
        if (services.GetService<SharedRedis>() is not { } redis)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"This replica {role}; budgets are its own (no Gateway:Cluster:Redis)."));
        }

        var replicas = services.GetRequiredService<ClusterMembership>().LiveReplicas;
        if (redis.Available && budgets.FallbackReplicas == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"Replica {redis.ReplicaId} {role}; budgets shared through Redis with {replicas} replica(s)."));
        }

        var share = Math.Max(budgets.FallbackReplicas, replicas);
        return Task.FromResult(HealthCheckResult.Degraded(
            $"Replica {redis.ReplicaId} {role}; shared Redis unreachable: working from 1/{share} of the exchange's budget, refusing orders that add risk (cancels and reduce-only orders pass)."));
    }
}
