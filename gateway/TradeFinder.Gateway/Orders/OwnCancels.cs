using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// The gateway's own calls about owned orders: cancelling a bot's orders one by one (for an account-wide cancel
/// and the kill switch), settling an order the ledger thinks open, and finding who owns an order known only by
/// the exchange's id. Every call is signed with the bot's own account keys and charged to the bot when it asked.
/// </summary>
internal sealed class OwnCancels(UpstreamQueries upstream, OwnershipLedger ledger, BotTags tags)
{
    /// <summary>Cancels each order; returns how many were live and cancelled, and the ones that could not be settled (with why).</summary>
    public async Task<(int Canceled, IReadOnlyList<(OwnedOrder Order, string Error)> Failed)> CancelAsync(
        IEnumerable<OwnedOrder> orders, string? chargeTo, CancellationToken cancellationToken)
    {
        var canceled = 0;
        var failed = new List<(OwnedOrder, string)>();
        foreach (var order in orders)
        {
            try
            {
                var (path, query) = ByClientId(order.Symbol, order.ClientId, order.Algo);
                var result = await upstream.SendAsync(order.Account, chargeTo, HttpMethod.Delete, path, query, cancellationToken).ConfigureAwait(false);
                if (ExchangeErrorResponses.ErrorCode(result) is not { } code)
                {
                    ledger.Observe(order.Account, result, tags.BotFor);
                    canceled++;
                }
                else if (code is ExchangeErrorCodes.CancelRejected or ExchangeErrorCodes.NoSuchOrder)
                {
                    // Already filled, cancelled or expired: learn how much it executed.
                    await SettleAsync(order, chargeTo, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    failed.Add((order, $"{code}: {ExchangeErrorResponses.ErrorMessage(result)}"));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failed.Add((order, ex.Message));
            }
        }

        return (canceled, failed);
    }

    /// <summary>Looks an order up and updates the ledger; an order the exchange does not know is closed.</summary>
    public Task SettleAsync(OwnedOrder order, string? chargeTo, CancellationToken cancellationToken) =>
        LookUpAsync(order.Account, order.Symbol, order.ClientId, order.Algo, chargeTo, cancellationToken);

    /// <summary>
    /// Looks an order up by its client id and updates the ledger: one the ledger lacks is adopted for the bot its tag
    /// names (<see cref="OwnershipLedger.Observe"/>); one the exchange does not know is closed if the ledger held it.
    /// </summary>
    public async Task LookUpAsync(ExchangeAccount account, string symbol, string clientId, bool algo, string? chargeTo, CancellationToken cancellationToken)
    {
        var (path, query) = ByClientId(symbol, clientId, algo);
        var found = await upstream.SendAsync(account, chargeTo, HttpMethod.Get, path, query, cancellationToken).ConfigureAwait(false);
        if (ExchangeErrorResponses.ErrorCode(found) is ExchangeErrorCodes.NoSuchOrder)
        {
            ledger.MarkGone(account, clientId, algo);
        }
        else if (ExchangeErrorResponses.ErrorCode(found) is null)
        {
            ledger.Observe(account, found, tags.BotFor);
        }
    }

    /// <summary>The path and query naming one order by its client id (an algo order's needs no symbol).</summary>
    private static (string Path, string Query) ByClientId(string symbol, string clientId, bool algo) => algo
        ? (UsdmPaths.AlgoOrder, "clientAlgoId=" + Uri.EscapeDataString(clientId))
        : (UsdmPaths.Order, $"symbol={Uri.EscapeDataString(symbol)}&origClientOrderId={Uri.EscapeDataString(clientId)}");

    /// <summary>
    /// Whether the order the exchange knows as <paramref name="id"/> is the bot's: the ledger, or else a look-up of the
    /// order's client id tag (an order older than the ledger's memory). Charged to the bot.
    /// </summary>
    public async Task<bool> IsOwnedAsync(BotIdentity bot, string? symbol, long id, bool algo, CancellationToken cancellationToken)
    {
        if (ledger.Owns(bot.Name, bot.Account, id, algo))
        {
            return true;
        }

        if (!algo && symbol is null)
        {
            return false;
        }

        var (path, query) = algo ? (UsdmPaths.AlgoOrder, "algoId=" + id) : (UsdmPaths.Order, $"symbol={symbol}&orderId={id}");
        var found = await upstream.SendAsync(bot.Account, bot.Name, HttpMethod.Get, path, query, cancellationToken).ConfigureAwait(false);
        if (ExchangeErrorResponses.ErrorCode(found) is not null || !found.TryGetProperty(algo ? "clientAlgoId" : "clientOrderId", out var clientId)
            || !ClientIds.TryParse(clientId.GetString(), out var tag, out _, out _) || tag != ClientIds.Tag(bot.Name))
        {
            return false;
        }

        ledger.Observe(bot.Account, found, tags.BotFor);
        return ledger.Owns(bot.Name, bot.Account, id, algo);
    }
}
