using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Replicas keep the same key in service: a rotation, standby promotion or rollback on one replica (by an operator,
/// the source watcher or the exchange's rejection) is announced with NOTIFY on the cluster's PostgreSQL, naming the key
/// now in service by its fingerprint, and every other replica brings itself to that key: nothing when it signs with it
/// already, a rollback when it is its previous key, otherwise stage → validate → promote from its own source (which, for
/// replicas, is shared: Vault, or one secret file). Announcing the outcome rather than the step makes following
/// idempotent: a late, repeated or superseded announcement cannot step a replica past the key the others use. Nothing
/// secret is sent, only the set's name, the step and the fingerprint. Without <c>Gateway:Cluster:Postgres</c> it does nothing.
/// </summary>
internal sealed class SharedKeyService : BackgroundService
{
    private const string Channel = "tf_keys";
    private const string Follower = "replica";
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private const int Attempts = 5;
    private readonly NpgsqlDataSource? _source;
    private readonly KeyRotation _rotation;
    private readonly KeyRing _ring;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedKeyService> _logger;
    private readonly string _self = RandomNumberGenerator.GetHexString(12, lowercase: true);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<Announcement> _announce = new();

    public SharedKeyService(KeyRotation rotation, KeyRing ring, IConfiguration configuration, TimeProvider time, ILogger<SharedKeyService> logger)
    {
        _rotation = rotation;
        _ring = ring;
        _time = time;
        _logger = logger;
        if (configuration.ClusterPostgres() is { } connectionString)
        {
            _source = NpgsqlDataSource.Create(connectionString);
            rotation.Changed += (set, action, actor) =>
            {
                // Raised inside the rotation's gate right after the swap, so the active key is the one the step put in service.
                if (actor != Follower && ring.Find(set) is { } slot)
                {
                    _announce.Enqueue(new Announcement(set, action, _self, slot.Active.Fingerprint));
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
                foreach (var change in Latest(heard))
                {
                    await FollowAsync(change, ct).ConfigureAwait(false);
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
            await using var connection = await _source!.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
            notify.Parameters.AddWithValue(Channel);
            notify.Parameters.AddWithValue(JsonSerializer.Serialize(change, KeysJson.Default.Announcement));
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _announce.TryDequeue(out _);
        }
    }

    /// <summary>Other replicas' announcements, only the last per set: it names the key they all end on.</summary>
    private Dictionary<string, Announcement>.ValueCollection Latest(IReadOnlyList<string> heard)
    {
        var latest = new Dictionary<string, Announcement>(StringComparer.Ordinal);
        foreach (var payload in heard)
        {
            if (Parse(payload) is { Replica: not null, Set: not null, Fingerprint: not null } change && change.Replica != _self)
            {
                latest[change.Set] = change;
            }
        }

        return latest.Values;
    }

    /// <summary>An announcement, or null for one this version cannot read (a replica of another version): it is skipped.</summary>
    private static Announcement? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, KeysJson.Default.Announcement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task FollowAsync(Announcement change, CancellationToken cancellationToken)
    {
        // The other replica validated the key with the exchange already; this one checks it itself and reads its own
        // source, which may show the new version a moment later (a secret file being replaced, Vault replication) or
        // fail a check for a moment (the exchange busy): try a few times.
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (_ring.Find(change.Set) is not { } slot || slot.Active.Fingerprint == change.Fingerprint)
            {
                return;
            }

            var result = slot.Previous?.Fingerprint == change.Fingerprint
                ? await _rotation.RollbackAsync(change.Set, Follower, cancellationToken).ConfigureAwait(false)
                : await _rotation.RotateAsync(change.Set, "another replica " + change.Action, Follower, cancellationToken, standby: change.Action == "standby").ConfigureAwait(false);
            KeysLog.KeyChangeFollowed(_logger, change.Set, change.Action, result.Outcome);
            var after = slot.Active;
            if (after.Fingerprint == change.Fingerprint)
            {
                return;
            }

            await Task.Delay(Retry, _time, cancellationToken).ConfigureAwait(false);

            // Someone changed this replica's key meanwhile (an operator, the watcher): a later announcement speaks for it.
            if (!ReferenceEquals(slot.Active, after))
            {
                return;
            }
        }

        KeysLog.KeyChangeNotFollowed(_logger, change.Set, change.Action, change.Fingerprint, _ring.Find(change.Set)?.Active.Fingerprint ?? "-");
    }

    /// <summary>One step made on another replica, and the key it put in service.</summary>
    internal sealed record Announcement(string Set, string Action, string Replica, string Fingerprint);
}
