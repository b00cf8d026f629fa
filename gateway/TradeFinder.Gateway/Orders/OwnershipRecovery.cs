using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// After a start, brings the ledger in line with the exchange: open orders carrying a registered bot's tag that the
/// store missed (the gateway stopped between sending and writing) are adopted, and orders the ledger holds as open
/// that the exchange no longer lists are looked up and settled. Retries until each account has answered once.
/// </summary>
internal sealed class OwnershipRecovery(
    OwnershipLedger ledger, OwnCancels own, UpstreamQueries upstream, UpstreamDirectory upstreams, SharedAccounts accounts, BotTags tags,
    TimeProvider time, ILogger<OwnershipRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

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
                    var adopted = await ReconcileAsync(account, stoppingToken).ConfigureAwait(false);
                    OrdersLog.OwnershipReconciled(logger, account.ToString(), adopted);
                    pending.Remove(account);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
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

    private async Task<int> ReconcileAsync(ExchangeAccount account, CancellationToken cancellationToken)
    {
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

        return Math.Max(0, ledger.OpenOrdersOn(account).Count - before);
    }
}
