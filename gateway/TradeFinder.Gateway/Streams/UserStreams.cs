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

    public UserStreams(
        UpstreamQueries upstream, StreamEndpoints endpoints, OwnershipLedger ledger, BotTags tags, UserEventViews views, VirtualListenKeys keys,
        IOptions<StreamsOptions> options, TimeProvider time, ILogger<UserStreams> logger, GatewayMetrics? metrics = null)
    {
        Options = options.Value;
        metrics?.ObserveUserStreams(() => _accounts.Values.Select(s => (s.Account.ToString(), s.Subscribers,
            s.KeyCreatedAt is { } created ? (time.GetUtcNow() - created).TotalSeconds : 0, (long)s.Reconnects, (long)s.Gaps, s.LagMs)));
        _create = account => new AccountUserStream(account, upstream, endpoints, ledger, tags, views, keys, TimeSpan.FromSeconds(Options.UserStreamRotateAfterSeconds), time, logger);
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
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

    public void Dispose() => _stopping.Dispose();
}
