using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Npgsql;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Cluster;

/// <summary>
/// Which replica does the account's duties that must happen once, not once per replica: the position watch (its
/// margin reads and its reduce-only pull-back orders) and the account-wide alerts read from the user-data stream
/// (foreign activity, balance changes, the exchange's quantitative rules). The leader holds a PostgreSQL session-level
/// advisory lock on a connection of its own (no pooling, so closing it ends the session); the database releases it when
/// that session ends, so a killed leader's lock is free as soon as its socket closes and another replica takes it on
/// its next try. The leader checks its session every second and steps down at the first failure, before another can
/// acquire the lock: there is at most one leader, at worst briefly none. A single node (no
/// <c>Gateway:Cluster:Postgres</c>) always leads.
/// </summary>
internal sealed class ClusterLeadership : BackgroundService
{
    // pg_try_advisory_lock's one bigint key space is the database's: a fixed value that reads "TFLEADER".
    private const long LockKey = 0x5446_4C45_4144_4552;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private readonly string? _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterLeadership> _logger;
    private readonly string _replica;
    private NpgsqlConnection? _held;
    private volatile bool _leading;
    private long _terms;

    public ClusterLeadership(IOptions<ClusterOptions> options, TimeProvider time, GatewayMetrics metrics, ILogger<ClusterLeadership> logger)
    {
        _time = time;
        _logger = logger;
        _replica = options.Value.ReplicaId ?? ClusterOptions.NewReplicaId();
        if (!string.IsNullOrWhiteSpace(options.Value.Postgres))
        {
            _connectionString = SessionConnectionString(options.Value.Postgres);
        }

        metrics.ObserveLeadership(() => IsLeader);
    }

    /// <summary>True when this replica does the singleton duties now (always on a single node).</summary>
    public bool IsLeader => _connectionString is null || _leading;

    /// <summary>How many times this replica has become leader (0 on a single node).</summary>
    public long Terms => Interlocked.Read(ref _terms);

    /// <summary>One attempt to take the lead, or to confirm it is still held.</summary>
    public async Task TryLeadAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is null)
        {
            return;
        }

        try
        {
            if (_held is null)
            {
                var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
                take.Parameters.AddWithValue(LockKey);
                if ((bool)(await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    _held = connection;
                    _leading = true;
                    var term = Interlocked.Increment(ref _terms);
                    ClusterLog.Leading(_logger, _replica, term);
                }
                else
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                return;
            }

            await using var check = new NpgsqlCommand("SELECT 1", _held);
            await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            await StepDownAsync(e.GetType().Name + ": " + e.Message).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await StepDownAsync("stopping").ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_connectionString is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Every, _time);
        try
        {
            do
            {
                await TryLeadAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Its own method: a single node never loads the PostgreSQL driver (its assembly is mapped only when called).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string SessionConnectionString(string postgres) =>
        new NpgsqlConnectionStringBuilder(postgres) { Pooling = false, CommandTimeout = 2, Timeout = 2 }.ConnectionString;

    private async Task StepDownAsync(string why)
    {
        var held = Interlocked.Exchange(ref _held, null);
        var wasLeading = _leading;
        _leading = false;
        if (held is not null)
        {
            // Ending the session releases the lock (an explicit unlock would need the session to be healthy).
            await held.DisposeAsync().ConfigureAwait(false);
        }

        if (wasLeading)
        {
            ClusterLog.SteppedDown(_logger, _replica, why);
        }
    }

}
