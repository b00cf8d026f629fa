using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Watches the positions bots hold: every <c>PositionCheckSeconds</c>, for each account where the ownership ledger
/// shows a bot holding part of a position, one account read (<c>GET /fapi/v3/account</c>, weight 5, charged to the
/// shared budget) gives the margin ratio of the account's cross positions together and of each isolated position
/// alone (maintenance margin ÷ margin balance; the exchange liquidates at 1, per its "Margin Ratio" in the futures FAQ).
/// A bot holding part of a position at or above the warning level is reported <c>near_liquidation</c> (critical from
/// the critical level: quarantined, so it can only reduce); a bot whose share is worth more than its
/// <c>maxPositionNotional</c> at the mark price (the cap held when it ordered; the price moved) is reported
/// <c>position_over_cap</c>. A bot with a pull-back configured gets a reduce-only MARKET order for part of its own share
/// when its position reaches that margin ratio, sent by the gateway under the bot's client id (so the ledger counts it),
/// at most once per cool-down per position, and reported <c>pull_back</c> with the exchange's answer.
/// </summary>
internal sealed class PositionWatch(
    OwnershipLedger ledger, UpstreamQueries upstream, BotRegistry registry, BotPolicies policies, BotTags tags, ExchangeRules rules,
    AnomalySettings settings, AnomalyMonitor monitor, IOptionsMonitor<AnomaliesOptions> options, TimeProvider time, ILogger<PositionWatch> logger,
    Cluster.ClusterLeadership? leadership = null) : BackgroundService
{
    public const string NearLiquidation = "near_liquidation";
    public const string OverCap = "position_over_cap";
    public const string PullBack = "pull_back";
    private readonly Dictionary<(string Bot, ExchangeAccount Account, string Symbol, string PositionSide), DateTimeOffset> _lastPullBack = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.CurrentValue.PositionCheckSeconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.PositionCheckSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // One watch per account, not per replica: its margin reads cost weight and its pull-backs are orders.
                if (leadership?.IsLeader ?? true)
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round over every account where bots hold positions.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var account in ledger.Positions().GroupBy(p => p.Account))
        {
            AccountMargins margins;
            try
            {
                var answer = await upstream.SendAsync(account.Key, null, HttpMethod.Get, UsdmPaths.AccountV3, "", cancellationToken).ConfigureAwait(false);
                if (AccountMargins.Read(answer) is not { } read)
                {
                    AnomaliesLog.PositionCheckFailed(logger, account.Key.ToString(), "the account read was refused: " + Truncate(answer.GetRawText()));
                    continue;
                }

                margins = read;
            }
            catch (Exception ex) when (ex is HttpRequestException or BudgetRefusedException or JsonException or InvalidOperationException
                || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                AnomaliesLog.PositionCheckFailed(logger, account.Key.ToString(), ex.Message);
                continue;
            }

            foreach (var share in account)
            {
                await JudgeAsync(share, margins, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task JudgeAsync(BotPosition share, AccountMargins margins, CancellationToken cancellationToken)
    {
        if (!margins.Positions.TryGetValue((share.Symbol, share.PositionSide), out var position))
        {
            return; // the ledger's share is not on the account any more (closed by someone else): nothing at risk here
        }

        var thresholds = settings.Current;
        var ratio = position.Isolated ? position.IsolatedRatio : margins.CrossRatio;
        var where = $"{share.Symbol} {share.PositionSide} ({(position.Isolated ? "isolated" : "cross")})";
        if (ratio >= thresholds.MarginRatioWarning)
        {
            var critical = ratio >= thresholds.MarginRatioCritical;
            monitor.Report(NearLiquidation, critical ? AnomalySeverity.Critical : AnomalySeverity.Warning, share.Bot, share.Account.ToString(),
                $"margin ratio {ratio:0.###} on {where}, the exchange liquidates at 1 (warning {thresholds.MarginRatioWarning}, critical {thresholds.MarginRatioCritical}); "
                + $"this bot holds {Qty(share.Quantity)} of the account's {Qty(position.Amount)} at mark {position.Mark:0.########}");
        }

        if (registry.FindByName(share.Bot) is { } record
            && policies.Resolve(record, registry.GlobalState).Limits.MaxPositionNotional is { } cap
            && Math.Abs(share.Quantity) * position.Mark is var notional && notional > cap)
        {
            monitor.Report(OverCap, AnomalySeverity.Warning, share.Bot, share.Account.ToString(),
                $"its share of {where}, {Qty(share.Quantity)}, is worth {notional:0.##} at mark {position.Mark:0.########}, above its maxPositionNotional {cap}");
        }

        if (options.CurrentValue.PullBack.TryGetValue(share.Bot, out var pullBack) && ratio >= pullBack.MarginRatio)
        {
            await PullBackAsync(share, pullBack, ratio, where, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PullBackAsync(BotPosition share, PullBackOptions pullBack, decimal ratio, string where, CancellationToken cancellationToken)
    {
        var key = (share.Bot, share.Account, share.Symbol, share.PositionSide);
        var now = time.GetUtcNow();
        if (_lastPullBack.TryGetValue(key, out var last) && now - last < TimeSpan.FromSeconds(pullBack.CooldownSeconds))
        {
            return;
        }

        if (Quantity(share, pullBack.Fraction) is not { } quantity)
        {
            monitor.Report(PullBack, AnomalySeverity.Warning, share.Bot, share.Account.ToString(),
                $"margin ratio {ratio:0.###} on {where} reached its pull-back level {pullBack.MarginRatio}, but its share {Qty(share.Quantity)} is below the symbol's minimum order; nothing sent");
            _lastPullBack[key] = now;
            return;
        }

        // The order is the bot's (its tag, its share): the bot sees it in its own views under this id.
        var botId = "pullback-" + ClientIds.NewBotId()[3..15];
        var draft = new OwnedOrder
        {
            Bot = share.Bot,
            Account = share.Account,
            Symbol = share.Symbol,
            ClientId = ClientIds.Direct(ClientIds.Tag(share.Bot), botId)!,
            BotClientId = botId,
            Side = share.Quantity > 0 ? "SELL" : "BUY",
            PositionSide = share.PositionSide,
            Reducing = true,
            OrigQty = quantity,
        };
        if (ledger.TryReserve([draft], e => e.ReducingFits ? null : "its reduce-only orders already cover its share") is { } refusal)
        {
            AnomaliesLog.PositionCheckFailed(logger, share.Account.ToString(), $"no pull-back for {share.Bot} on {where}: {refusal}");
            return;
        }

        _lastPullBack[key] = now;

        // Hedge mode takes positionSide and refuses reduceOnly; one-way mode takes reduceOnly (the exchange's "New Order" rules).
        var query = $"symbol={share.Symbol}&side={draft.Side}&type=MARKET&quantity={Qty(quantity)}&newClientOrderId={Uri.EscapeDataString(draft.ClientId)}&newOrderRespType=RESULT"
            + (share.PositionSide == "BOTH" ? "&reduceOnly=true" : "&positionSide=" + share.PositionSide);
        string outcome;
        try
        {
            var answer = await upstream.SendAsync(share.Account, null, HttpMethod.Post, UsdmPaths.Order, query, cancellationToken).ConfigureAwait(false);
            if (ExchangeErrorResponses.ErrorCode(answer) is { } code)
            {
                ledger.Release(draft);
                outcome = $"the exchange refused it: {code} {ExchangeErrorResponses.ErrorMessage(answer)}";
            }
            else
            {
                ledger.Observe(share.Account, answer, tags.BotFor);
                outcome = $"order {Text(answer, "orderId")} ({draft.ClientId}) {Text(answer, "status")}, executed {Text(answer, "executedQty")} at {Text(answer, "avgPrice")}";
            }
        }
        catch (BudgetRefusedException ex)
        {
            ledger.Release(draft);
            outcome = "not sent: " + ex.Message;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ledger.MarkUnknown(draft); // it may have reached the exchange: counted as open until an answer settles it
            outcome = $"outcome unknown ({ex.Message}); the ledger holds it as open until the exchange says";
        }

        monitor.Report(PullBack, AnomalySeverity.Warning, share.Bot, share.Account.ToString(),
            $"margin ratio {ratio:0.###} on {where} reached its pull-back level {pullBack.MarginRatio}: reduce-only {draft.Side} MARKET {Qty(quantity)} "
            + $"({pullBack.Fraction:0.##} of its share {Qty(share.Quantity)}); {outcome}");
    }

    /// <summary>The fraction of the share, down to the symbol's MARKET step; the whole share when the fraction is below the minimum; null when even that is.</summary>
    private decimal? Quantity(BotPosition share, decimal fraction)
    {
        var whole = Math.Abs(share.Quantity);
        if (!rules.TryGet(share.Account.Mode, share.Symbol, out var symbol))
        {
            return whole * fraction;
        }

        var step = symbol.MarketStepSize > 0 ? symbol.MarketStepSize : symbol.StepSize;
        var min = symbol.MarketMinQty > 0 ? symbol.MarketMinQty : symbol.MinQty;
        decimal Floor(decimal q) => step > 0 ? Math.Floor(q / step) * step : q;
        var part = Floor(whole * fraction);
        return part >= min && part > 0 ? part : Floor(whole) is var all && all >= min && all > 0 ? all : null;
    }

    private static string Qty(decimal q) => q.ToString("0.########", CultureInfo.InvariantCulture);

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText()) : "?";

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200];
}
