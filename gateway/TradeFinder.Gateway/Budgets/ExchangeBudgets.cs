using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Clock;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// The exchange's limits mirrored per upstream, so the shared key is never rate limited or banned: request
/// weight per minute and orders per 10 s and per minute, in the exchange's own fixed windows (on the
/// exchange's clock), less a safety margin, corrected upwards from the <c>X-MBX-USED-WEIGHT-1M</c> and
/// <c>X-MBX-ORDER-COUNT-*</c> headers of every answer. Lower priorities stop earlier (market data first), and
/// the last part is reserved for cancels and risk-reducing orders, which are exempt from per-bot quotas; inside the
/// reserve each bot gets a fair share (the reserve divided among the bots using this upstream), so one bot's flood of
/// cancels cannot spend another bot's protective orders' room.
/// </summary>
internal sealed class ExchangeBudgets(IOptions<BudgetOptions> options, ExchangeClock clock)
{
    private const long Minute = 60_000;
    private const long TenSeconds = 10_000;

    // Our windows start this long after the exchange's: with a clock offset known only to within a round trip,
    // starting early could spend a fresh budget inside the exchange's old window.
    private const long Guard = 500;
    private readonly ConcurrentDictionary<TradingMode, ModeBudget> _modes = new();

    public void SetLimits(TradingMode mode, ExchangeLimits limits) => For(mode).Limits = limits;

    public BudgetUsage Usage(TradingMode mode)
    {
        var budget = For(mode);
        lock (budget)
        {
            budget.Roll(clock.NowMs(mode) - Guard);
            return new BudgetUsage(budget.Limits, budget.Weight, budget.Orders10s, budget.Orders1m);
        }
    }

    /// <summary>Each bot's use of its own quota in the current windows (the bots that have spent any since the gateway started).</summary>
    public IReadOnlyList<BotQuotaUsage> BotUsage(TradingMode mode)
    {
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        lock (budget)
        {
            budget.Roll(now);
            var (weightQuota, orderQuota) = BotQuotas(budget.Limits, options.Value);
            return [.. budget.Bots(now).Select(b => new BotQuotaUsage(b.Name, b.Window.Weight, weightQuota, b.Window.Orders, orderQuota))];
        }
    }

    /// <summary>
    /// Charges <paramref name="weight"/> and <paramref name="orders"/> to the upstream's budget and, for a bot
    /// request that is not risk-reducing, to the bot's quota; all or nothing.
    /// </summary>
    public BudgetDecision TryCharge(TradingMode mode, string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal = true)
    {
        var o = options.Value;
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        lock (budget)
        {
            budget.Roll(now);
            var limits = budget.Limits;
            var usableWeight = Usable(limits.WeightPerMinute, o.SafetyMarginPercent);
            var usable10s = Usable(limits.OrdersPer10Seconds, o.SafetyMarginPercent);
            var usable1m = Usable(limits.OrdersPerMinute, o.SafetyMarginPercent);
            var reserved = priority == RequestPriority.RiskReducing ? 100 : 100 - o.ReservePercent;
            var weightCeiling = Share(usableWeight, priority switch
            {
                RequestPriority.MarketData => Math.Min(reserved, o.MarketDataCeilingPercent),
                RequestPriority.Account => Math.Min(reserved, o.AccountCeilingPercent),
                _ => reserved,
            });

            if (chargeGlobal)
            {
                if (budget.Weight + weight > weightCeiling)
                {
                    return Refuse(priority == RequestPriority.MarketData || priority == RequestPriority.Account
                        ? $"the shared key's request weight for this minute is spent down to what orders and cancels need ({budget.Weight}/{limits.WeightPerMinute})"
                        : $"the shared key's request weight for this minute is spent down to the reserve for cancels ({budget.Weight}/{limits.WeightPerMinute})", Minute);
                }

                if (orders > 0 && budget.Orders10s + orders > Share(usable10s, reserved))
                {
                    return Refuse($"the shared key's order count for these 10 s is spent down to the reserve for cancels ({budget.Orders10s}/{limits.OrdersPer10Seconds})", TenSeconds);
                }

                if (orders > 0 && budget.Orders1m + orders > Share(usable1m, reserved))
                {
                    return Refuse($"the shared key's order count for this minute is spent down to the reserve for cancels ({budget.Orders1m}/{limits.OrdersPerMinute})", Minute);
                }
            }

            BotWindow? quota = null;
            var usesReserve = false;
            if (bot is not null && priority == RequestPriority.RiskReducing && chargeGlobal)
            {
                quota = budget.Bot(bot, now);
                var normalWeight = Share(usableWeight, 100 - o.ReservePercent);
                var normal10s = Share(usable10s, 100 - o.ReservePercent);
                usesReserve = budget.Weight + weight > normalWeight || (orders > 0 && budget.Orders10s + orders > normal10s);
                if (usesReserve)
                {
                    var bots = Math.Max(1, budget.BotCount);
                    var fairWeight = Math.Max(weight, (usableWeight - normalWeight) / bots);
                    var fairOrders = Math.Max(orders, (usable10s - normal10s) / bots);
                    if (quota.ReserveWeight + weight > fairWeight || (orders > 0 && quota.ReserveOrders + orders > fairOrders))
                    {
                        return Refuse($"bot '{bot}' has used its share of the cancel reserve ({quota.ReserveWeight}/{fairWeight} weight, {quota.ReserveOrders}/{fairOrders} orders); the rest is kept for the other bots", TenSeconds);
                    }
                }
            }
            else if (bot is not null && priority != RequestPriority.RiskReducing)
            {
                quota = budget.Bot(bot, now);
                var (weightQuota, orderQuota) = BotQuotas(limits, o);
                if (quota.Weight + weight > weightQuota)
                {
                    return Refuse($"bot '{bot}' has used its request weight quota for this minute ({quota.Weight}/{weightQuota})", Minute);
                }

                if (orders > 0 && quota.Orders + orders > orderQuota)
                {
                    return Refuse($"bot '{bot}' has used its order quota for these 10 s ({quota.Orders}/{orderQuota})", TenSeconds);
                }
            }

            if (chargeGlobal)
            {
                budget.Weight += weight;
                budget.Orders10s += orders;
                budget.Orders1m += orders;
            }

            if (quota is not null && priority != RequestPriority.RiskReducing)
            {
                quota.Weight += weight;
                quota.Orders += orders;
            }
            else if (quota is not null && usesReserve)
            {
                quota.ReserveWeight += weight;
                quota.ReserveOrders += orders;
            }

            return BudgetDecision.Allow;
        }

        BudgetDecision Refuse(string reason, long window) => new(false, reason, TimeSpan.FromMilliseconds(window - (now % window) + 1));
    }

    /// <summary>Charges the bot's quota after the fact (an exempt request the exchange rejected), even past the quota.</summary>
    public void ChargeBot(TradingMode mode, string bot, int weight, int orders)
    {
        var budget = For(mode);
        lock (budget)
        {
            var quota = budget.Bot(bot, clock.NowMs(mode) - Guard);
            quota.Weight += weight;
            quota.Orders += orders;
        }
    }

    /// <summary>The exchange's own count wins when it is higher (other clients on the IP, requests we did not see).</summary>
    public void Observe(TradingMode mode, Func<string, string?> header)
    {
        var weight = Parse(header("X-MBX-USED-WEIGHT-1M"));
        var tenSeconds = Parse(header("X-MBX-ORDER-COUNT-10S"));
        var minute = Parse(header("X-MBX-ORDER-COUNT-1M"));
        if (weight is null && tenSeconds is null && minute is null)
        {
            return;
        }

        var budget = For(mode);
        lock (budget)
        {
            budget.Roll(clock.NowMs(mode) - Guard);
            budget.Weight = Math.Max(budget.Weight, weight ?? 0);
            budget.Orders10s = Math.Max(budget.Orders10s, tenSeconds ?? 0);
            budget.Orders1m = Math.Max(budget.Orders1m, minute ?? 0);
        }
    }

    private static int? Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static int Usable(int limit, int marginPercent) => (int)((long)limit * (100 - marginPercent) / 100);

    /// <summary>A bot's weight quota per minute and order quota per 10 s: as configured, or a quarter of what the key may use.</summary>
    private static (int Weight, int Orders) BotQuotas(ExchangeLimits limits, BudgetOptions o) =>
        (o.PerBotWeightPerMinute ?? Math.Max(1, Usable(limits.WeightPerMinute, o.SafetyMarginPercent) / 4),
         o.PerBotOrdersPer10Seconds ?? Math.Max(1, Usable(limits.OrdersPer10Seconds, o.SafetyMarginPercent) / 4));

    private static int Share(int usable, int percent) => (int)((long)usable * percent / 100);

    private ModeBudget For(TradingMode mode) => _modes.GetOrAdd(mode, _ => new ModeBudget());

    private sealed class ModeBudget
    {
        private readonly Dictionary<string, BotWindow> _bots = new(StringComparer.Ordinal);
        private long _minute = -1;
        private long _tenSeconds = -1;

        public ExchangeLimits Limits { get; set; } = ExchangeLimits.Default;

        public int Weight { get; set; }

        public int Orders10s { get; set; }

        public int Orders1m { get; set; }

        public void Roll(long nowMs)
        {
            if (nowMs / Minute != _minute)
            {
                _minute = nowMs / Minute;
                Weight = 0;
                Orders1m = 0;
            }

            if (nowMs / TenSeconds != _tenSeconds)
            {
                _tenSeconds = nowMs / TenSeconds;
                Orders10s = 0;
            }
        }

        public int BotCount => _bots.Count;

        public IEnumerable<(string Name, BotWindow Window)> Bots(long nowMs)
        {
            foreach (var (name, window) in _bots)
            {
                window.Roll(nowMs);
                yield return (name, window);
            }
        }

        public BotWindow Bot(string name, long nowMs)
        {
            if (!_bots.TryGetValue(name, out var window))
            {
                _bots[name] = window = new BotWindow();
            }

            window.Roll(nowMs);
            return window;
        }
    }

    private sealed class BotWindow
    {
        private long _minute = -1;
        private long _tenSeconds = -1;

        public int Weight { get; set; }

        public int Orders { get; set; }

        public int ReserveWeight { get; set; }

        public int ReserveOrders { get; set; }

        public void Roll(long nowMs)
        {
            if (nowMs / Minute != _minute)
            {
                _minute = nowMs / Minute;
                Weight = 0;
                ReserveWeight = 0;
            }

            if (nowMs / TenSeconds != _tenSeconds)
            {
                _tenSeconds = nowMs / TenSeconds;
                Orders = 0;
                ReserveOrders = 0;
            }
        }
    }
}
