using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// After a start, brings the ledger in line with the exchange: open orders carrying a registered bot's tag that the
/// store missed (the gateway stopped between sending and writing) are adopted, and orders the ledger holds as open
/// that the exchange no longer lists are looked up and settled. Orders no longer open that the store missed (a market
/// order filled at once) are found from the audit trail: every order handed to the exchange has a <c>sent</c> record on
/// disk before its answer goes out, so those sent after the store's last surviving write
/// (<see cref="OwnershipLedger.PossiblyLost"/>) and unknown to the ledger are looked up by client id, and adopted with
/// their fills. Retries until each account has answered once.
/// </summary>
internal sealed class OwnershipRecovery(
    OwnershipLedger ledger, OwnCancels own, UpstreamQueries upstream, UpstreamDirectory upstreams, SharedAccounts accounts, BotTags tags,
    IAuditStore audit, TimeProvider time, ILogger<OwnershipRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    /// <summary>Sent records are stamped by the same clock as the mark; this much before it too, for a clock stepped back by its sync.</summary>
    internal const long ClockSlackMs = 1_000;
    private const int Page = 1_000;

    // Every account's orders sent after the mark, read from the audit trail once (not again per account or retry).
    private IReadOnlyList<SentOrder>? _sentSinceMark;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Accounts a registered bot trades on (only their tags can be adopted) and accounts with orders held as open.
        var pending = accounts.Accounts.Concat(ledger.AccountsWithOpenOrders())
            .Where(a => upstreams.Upstreams.ContainsKey(a.Mode))
            .ToHashSet();
        for (var attempt = 0; pending.Count > 0 && attempt < 60 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            foreach (var account in pending.ToList())
            {
                try
                {
                    var (adopted, found) = await ReconcileAsync(account, stoppingToken).ConfigureAwait(false);
                    OrdersLog.OwnershipReconciled(logger, account.ToString(), adopted, found);
                    pending.Remove(account);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or System.Data.Common.DbException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    if (attempt == 0)
                    {
                        OrdersLog.OwnershipReconcileFailed(logger, account.ToString(), ex.Message);
                    }
                }
            }

            if (pending.Count > 0)
            {
                await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(int Adopted, int Found)> ReconcileAsync(ExchangeAccount account, CancellationToken cancellationToken)
    {
        // First, so that an order adopted below under a mapped exchange id keeps the id its bot knows it by.
        var sent = await SentByBotsOnAsync(account, cancellationToken).ConfigureAwait(false);
        ledger.RememberBotIds(sent.Where(o => o.BotClientId is not null).Select(o => (account, o.Algo, o.ClientId, o.BotClientId!)));
        var before = ledger.OpenOrdersOn(account).Count;
        var listed = new HashSet<(bool, string)>();
        foreach (var (path, algo, idName) in new[] { (UsdmPaths.OpenOrders, false, "clientOrderId"), (UsdmPaths.OpenAlgoOrders, true, "clientAlgoId") })
        {
            var open = await upstream.SendAsync(account, null, HttpMethod.Get, path, "", cancellationToken).ConfigureAwait(false);
            foreach (var order in open.ValueKind == JsonValueKind.Array ? open.EnumerateArray() : default)
            {
                ledger.Observe(account, order, tags.BotFor);
                if (order.TryGetProperty(idName, out var id) && id.GetString() is { } clientId)
                {
                    listed.Add((algo, clientId));
                }
            }
        }

        // Held as open, no longer listed: filled, cancelled or expired while the gateway was not looking.
        foreach (var order in ledger.OpenOrdersOn(account))
        {
            if (!listed.Contains((order.Algo, order.ClientId)))
            {
                await own.SettleAsync(order, null, cancellationToken).ConfigureAwait(false);
            }
        }

        var adopted = Math.Max(0, ledger.OpenOrdersOn(account).Count - before);
        return (adopted, await FindSentAsync(account, sent, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The orders sent to this account, in its mode, by the bots that trade on it, while the ledger's writes may have been lost.</summary>
    private async Task<List<SentOrder>> SentByBotsOnAsync(ExchangeAccount account, CancellationToken cancellationToken)
    {
        var bots = accounts.On(account).Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var mode = account.Mode.ToConfigValue();
        return [.. (await SentSinceMarkAsync(cancellationToken).ConfigureAwait(false)).Where(o => o.Mode == mode && bots.Contains(o.Bot))];
    }

    /// <summary>
    /// The orders this account's bots sent while the ledger's writes may have been lost, that the ledger still lacks after
    /// the open orders were adopted: each looked up once (one the exchange never took, or rejected, is not found and
    /// stays unknown). Returns how many were adopted.
    /// </summary>
    private async Task<int> FindSentAsync(ExchangeAccount account, List<SentOrder> sentByBots, CancellationToken cancellationToken)
    {
        var adopted = 0;
        foreach (var sent in sentByBots)
        {
            if (!ledger.Knows(account, sent.ClientId, sent.Algo))
            {
                await own.LookUpAsync(account, sent.Symbol, sent.ClientId, sent.Algo, null, cancellationToken).ConfigureAwait(false);
                adopted += ledger.Knows(account, sent.ClientId, sent.Algo) ? 1 : 0;
            }
        }

        return adopted;
    }

    private async Task<IReadOnlyList<SentOrder>> SentSinceMarkAsync(CancellationToken cancellationToken)
    {
        if (_sentSinceMark is not null)
        {
            return _sentSinceMark;
        }

        if (ledger.PossiblyLost is not var (sinceMs, untilMs))
        {
            return _sentSinceMark = [];
        }

        var sent = new List<SentOrder>();
        long after = 0;
        IReadOnlyList<AuditEvent> page;
        do
        {
            page = await audit.QueryAsync(new AuditQuery(Type: AuditEventTypes.Sent, FromMs: sinceMs - ClockSlackMs, ToMs: untilMs, AfterSequence: after, Limit: Page),
                cancellationToken).ConfigureAwait(false);
            sent.AddRange(page.SelectMany(SentOrders.Read));
            after = page.Count > 0 ? page[^1].Sequence : after;
        }
        while (page.Count == Page);

        return _sentSinceMark = sent;
    }
}
