using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Replicas keep the same key in service: a rotation, standby promotion or rollback on one replica (by an operator,
/// the source watcher or the exchange's rejection) is announced with NOTIFY on the cluster's PostgreSQL, and every
/// other replica does the same step itself: re-read its source (which, for replicas, is shared: Vault, or one secret
/// file) and stage → validate → promote, or roll back to its previous key. Nothing secret is sent, only the set's name
/// and the step. Without <c>Gateway:Cluster:Postgres</c> it does nothing.
/// </summary>
internal sealed class SharedKeyService : BackgroundService
{
    private const string Channel = "tf_keys";
    private const string Follower = "replica";
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private readonly NpgsqlDataSource? _source;
    private readonly KeyRotation _rotation;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedKeyService> _logger;
    private readonly string _self = RandomNumberGenerator.GetHexString(12, lowercase: true);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<(string Set, string Action)> _announce = new();

    public SharedKeyService(KeyRotation rotation, IConfiguration configuration, TimeProvider time, ILogger<SharedKeyService> logger)
    {
        _rotation = rotation;
        _time = time;
        _logger = logger;
        if (configuration.ClusterPostgres() is { } connectionString)
        {
            _source = NpgsqlDataSource.Create(connectionString);
            rotation.Changed += (set, action, actor) =>
            {
                if (actor != Follower)
                {
                    _announce.Enqueue((set, action));
                }
            };
        }
    }

    public override void Dispose()
    {
        _source?.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _source is null
        ? Task.CompletedTask
        : PostgresNotifications.ListenAsync(_source, Channel, Poll,
            caughtUp: AnnounceOursAsync,
            woken: async (heard, ct) =>
            {
                foreach (var payload in heard)
                {
                    await FollowAsync(payload, ct).ConfigureAwait(false);
                }

                await AnnounceOursAsync(ct).ConfigureAwait(false);
            },
            lost: e => KeysLog.KeyChangesLost(_logger, e.GetType().Name, e.Message),
            _time, stoppingToken);

    /// <summary>This replica's own steps, each kept until its announcement went out.</summary>
    private async Task AnnounceOursAsync(CancellationToken cancellationToken)
    {
        while (_announce.TryPeek(out var change))
        {
            await AnnounceAsync(change.Set, change.Action, cancellationToken).ConfigureAwait(false);
            _announce.TryDequeue(out _);
        }
    }

    private async Task AnnounceAsync(string set, string action, CancellationToken cancellationToken)
    {
        await using var connection = await _source!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
        notify.Parameters.AddWithValue(Channel);
        notify.Parameters.AddWithValue(JsonSerializer.Serialize(new Announcement(set, action, _self)));
        await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FollowAsync(string payload, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Deserialize<Announcement>(payload) is not { } change || change.Replica == _self)
        {
            return;
        }

        // The other replica validated the new key with the exchange already; this one reads its own source, which may
        // show the new version a moment later (a secret file being replaced, Vault replication): try a few times.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var result = change.Action == "rollback"
                ? await _rotation.RollbackAsync(change.Set, Follower, cancellationToken).ConfigureAwait(false)
                : await _rotation.RotateAsync(change.Set, "another replica " + change.Action, Follower, cancellationToken, standby: change.Action == "standby").ConfigureAwait(false);
            KeysLog.KeyChangeFollowed(_logger, change.Set, change.Action, result.Outcome);
            if (result.Ok && result.Outcome != "unchanged" || change.Action == "rollback")
            {
                return;
            }

            await Task.Delay(Retry, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record Announcement(string Set, string Action, string Replica);
}
