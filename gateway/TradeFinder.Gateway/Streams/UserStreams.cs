using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// The gateway's user-data streams: one upstream stream per account (started when a bot first asks for a listen
/// key), fanned out to bot connections; closing a bot's virtual key ends that bot's connections only.
/// </summary>
internal sealed class UserStreams : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<ExchangeAccount, AccountUserStream> _accounts = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<ExchangeAccount, AccountUserStream> _create;
    private readonly BotRegistry? _registry;
    private readonly TimeProvider _time;
    private ITimer? _watching;
    private readonly Modes.UpstreamDirectory? _upstreams;

    public UserStreams(
        UpstreamQueries upstream, StreamEndpoints endpoints, OwnershipLedger ledger, BotTags tags, UserEventViews views, VirtualListenKeys keys,
        IOptions<StreamsOptions> options, TimeProvider time, ILogger<UserStreams> logger, GatewayMetrics? metrics = null, Anomalies.AnomalyMonitor? anomalies = null,
        BotRegistry? registry = null, Modes.UpstreamDirectory? upstreams = null, Anomalies.QuantitativeRules? quantitativeRules = null)
    {
        _registry = registry;
        _upstreams = upstreams;
        _time = time;
        Options = options.Value;
        metrics?.ObserveUserStreams(() => _accounts.Values.Select(s => (s.Account.ToString(), s.Subscribers,
            s.KeyCreatedAt is { } created ? (time.GetUtcNow() - created).TotalSeconds : 0, (long)s.Reconnects, (long)s.Gaps, s.LagMs)));
        _create = account => new AccountUserStream(account, upstream, endpoints, ledger, tags, views, keys, TimeSpan.FromSeconds(Options.UserStreamRotateAfterSeconds), time, logger, anomalies, quantitativeRules);
    }

    public StreamsOptions Options { get; }

    public IReadOnlyCollection<AccountUserStream> Accounts => [.. _accounts.Values];

    /// <summary>The account's stream, running.</summary>
    public AccountUserStream Ensure(ExchangeAccount account)
    {
        var stream = _accounts.GetOrAdd(account, _create);
        stream.Start(_stopping.Token);
        return stream;
    }

    /// <summary>
    /// With <see cref="StreamsOptions.WatchAccounts"/>, the stream of every account a registered bot trades on starts
    /// now rather than when a bot first asks for a listen key: the gateway watches each account for activity no bot
    /// placed through it (the key used elsewhere) and keeps the ledger's fills current from the start.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Options.WatchAccounts && _registry is not null)
        {
            // Bots registered later (bots add) are picked up within ten seconds.
            _watching = _time.CreateTimer(_ => WatchRegisteredAccounts(), null, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }

        return Task.CompletedTask;
    }

    private void WatchRegisteredAccounts()
    {
        foreach (var account in _registry!.All().Where(b => _upstreams?.Upstreams.ContainsKey(b.Mode) != false).Select(b => ExchangeAccount.Of(b.Mode, b.KeyGroup)).Distinct())
        {
            if (!_accounts.ContainsKey(account) && !_stopping.IsCancellationRequested)
            {
                Ensure(account);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watching is not null)
        {
            await _watching.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var stream in _accounts.Values)
        {
            try
            {
                await stream.Stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's stop timeout: leave it.
            }
        }
    }

    public void Dispose()
    {
        _watching?.Dispose();
        _stopping.Dispose();
    }
}
