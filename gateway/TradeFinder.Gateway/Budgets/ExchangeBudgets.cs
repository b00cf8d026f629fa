using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
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
/// <para>
/// With replicas (<see cref="RedisBudgetLedger"/>) the windows live in Redis and every decision is one atomic script
/// there. When Redis is unreachable a replica never fails open: it works from its share (each limit divided by the
/// replicas it last saw alive, starting from its share of what was already spent), refuses orders that add risk since it
/// cannot check them against the others, and keeps cancels and reduce-only orders flowing within that share.
/// </para>
/// <para>
/// A bot's reads on a replica spend a lease instead of a round trip each: weight charged to the shared window and to the
/// bot's quota ahead of need (under the same checks, so the replicas together still never pass a limit), spent here
/// until it runs out. Leases grow from one request's weight, doubling while the bot keeps spending, up to
/// <see cref="LeasePercent"/> of the usable weight; Redis grants at most a quarter of what is left, so near a limit a
/// lease is one request and the decisions are exact again. What a lease leaves unspent at the window's end is weight
/// charged but never sent: the price, bounded by the lease. Orders, cancels and other non-bot charges go to Redis
/// each time: their order counts and the cancel reserve's fair share stay exact.
/// </para>
/// </summary>
internal sealed class ExchangeBudgets(IOptions<BudgetOptions> options, ExchangeClock clock, RedisBudgetLedger? shared = null)
{
    // The exchange's counters on every answer (Binance USDⓈ-M Futures "General Info": limits, IP and order rate limits).
    private const string UsedWeightHeader = "X-MBX-USED-WEIGHT-1M";
    private const string OrderCount10sHeader = "X-MBX-ORDER-COUNT-10S";
    private const string OrderCount1mHeader = "X-MBX-ORDER-COUNT-1M";
    private const long Minute = 60_000;
    private const long TenSeconds = 10_000;

    // Our windows start this long after the exchange's: with a clock offset known only to within a round trip,
    // starting early could spend a fresh budget inside the exchange's old window.
    private const long Guard = 500;

    /// <summary>The largest lease, in percent of the usable weight per minute.</summary>
    private const int LeasePercent = 2;
    private readonly ConcurrentDictionary<TradingMode, ModeBudget> _modes = new();
    private int _fallbackReplicas;

    /// <summary>Whether budgets are shared by replicas through Redis (configured, whether or not reachable now).</summary>
    public bool Shared => shared is not null;

    /// <summary>While Redis is unreachable: the number of replicas the budget is divided by; 0 while shared (or single node).</summary>
    public int FallbackReplicas => Volatile.Read(ref _fallbackReplicas);

    public void SetLimits(TradingMode mode, ExchangeLimits limits)
    {
        var budget = For(mode);
        lock (budget)
        {
            // Leases were charged under the old ceilings: spending them under lower ones could pass those.
            budget.Limits = limits;
            budget.DropLeases();
        }
    }

    /// <summary>What has been spent in the current windows: the shared counts last seen while shared, else this process's.</summary>
    public BudgetUsage Usage(TradingMode mode)
    {
        var budget = For(mode);
        lock (budget)
        {
            budget.Roll(clock.NowMs(mode) - Guard);
            var counts = shared is not null && FallbackReplicas == 0 ? budget.Shared : budget.Local;
            return new BudgetUsage(budget.Limits, counts.Weight, counts.Orders10s, counts.Orders1m);
        }
    }

    /// <summary>Each bot's use of its own quota in the current windows (the bots that have spent any through this process since it started).</summary>
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
    /// The decision for a request: charges <paramref name="weight"/> and <paramref name="orders"/> to the upstream's
    /// budget and, for a bot request that is not risk-reducing, to the bot's quota; all or nothing. Shared by all
    /// replicas when Redis is configured and reachable.
    /// </summary>
    public ValueTask<BudgetDecision> TryChargeAsync(TradingMode mode, string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal = true)
    {
        if (shared is null)
        {
            return ValueTask.FromResult(TryCharge(mode, bot, priority, weight, orders, chargeGlobal));
        }

        var lease = Leasable(bot, priority, weight, orders, chargeGlobal);
        return lease && TrySpendLease(mode, bot!, priority, weight)
            ? ValueTask.FromResult(BudgetDecision.Allow)
            : ChargeSharedAsync(shared, mode, bot, priority, weight, orders, chargeGlobal, lease);
    }

    private bool Leasable(string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal) =>
        bot is not null && priority != RequestPriority.RiskReducing && orders == 0 && weight > 0 && chargeGlobal
        && shared is { Available: true } && FallbackReplicas == 0;

    private bool TrySpendLease(TradingMode mode, string bot, RequestPriority priority, int weight)
    {
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        lock (budget)
        {
            budget.Roll(now);
            if (!budget.TrySpendLease(bot, priority, weight, now))
            {
                return false;
            }

            var quota = budget.Bot(bot, now);
            quota.Weight += weight;
            return true;
        }
    }

    /// <summary>The decision on this process's own counters (a single node, or a replica's share while Redis is unreachable).</summary>
    public BudgetDecision TryCharge(TradingMode mode, string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal = true)
    {
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        var divisor = Math.Max(1, FallbackReplicas);
        lock (budget)
        {
            budget.Roll(now);
            var limits = divisor == 1 ? budget.Limits : budget.Limits.Share(divisor);
            var plan = Plan(limits, bot, priority, weight, orders, chargeGlobal, divisor);
            var result = budget.Charge(now, plan);
            return Decide(plan, result, limits, priority, now);
        }
    }

    /// <summary>Charges the bot's quota after the fact (an exempt request the exchange rejected), even past the quota.</summary>
    public void ChargeBot(TradingMode mode, string bot, int weight, int orders)
    {
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        lock (budget)
        {
            var quota = budget.Bot(bot, now);
            quota.Weight += weight;
            quota.Orders += orders;
        }

        if (shared is { Available: true })
        {
            Try(shared, () => shared.ChargeBot(mode, now, bot, weight, orders));
        }
    }

    /// <summary>
    /// The exchange's own count, from an answer's headers (read without validating or copying them: every forwarded
    /// answer), wins when it is higher (other clients on the IP, requests we did not see).
    /// </summary>
    public void Observe(TradingMode mode, HttpResponseHeaders headers) =>
        Observe(mode, Parse(First(headers, UsedWeightHeader)), Parse(First(headers, OrderCount10sHeader)), Parse(First(headers, OrderCount1mHeader)));

    private static string? First(HttpResponseHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    private void Observe(TradingMode mode, int? weight, int? tenSeconds, int? minute)
    {
        if (weight is null && tenSeconds is null && minute is null)
        {
            return;
        }

        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        var divisor = Math.Max(1, FallbackReplicas);
        var sharing = shared is { Available: true };
        bool news;
        lock (budget)
        {
            // Read just before another thread rolled, the count still lands in the new windows: ours start Guard after the
            // exchange's, so by then the exchange was already counting its new ones.
            budget.Roll(now);
            budget.Shared.Raise(weight ?? 0, tenSeconds ?? 0, minute ?? 0);

            // A replica on its own share assumes its share of what the exchange counted for everyone.
            budget.Local.Raise((weight ?? 0) / divisor, (tenSeconds ?? 0) / divisor, (minute ?? 0) / divisor);

            // Redis already holds at least what it last answered or was sent in this window, and its raise only ever moves a
            // count up: an exchange count no higher than that would change nothing there. Usually the exchange has counted
            // no more than the replicas charged, so most answers cost no second command.
            news = sharing && budget.InRedis.Exceeded(weight ?? 0, tenSeconds ?? 0, minute ?? 0);
            if (news)
            {
                budget.InRedis.Raise(weight ?? 0, tenSeconds ?? 0, minute ?? 0);
            }
        }

        if (news)
        {
            RaiseShared(shared!, mode, now, weight, tenSeconds, minute);
        }
    }

    // Apart from Observe, so that the closure is made only for the answers that need the command (a captured variable
    // of a method's top scope costs an allocation on every call).
    private static void RaiseShared(RedisBudgetLedger ledger, TradingMode mode, long now, int? weight, int? tenSeconds, int? minute) =>
        Try(ledger, () => ledger.Raise(mode, now, weight, tenSeconds, minute));

    private async ValueTask<BudgetDecision> ChargeSharedAsync(RedisBudgetLedger ledger, TradingMode mode, string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal, bool lease)
    {
        var budget = For(mode);
        var now = clock.NowMs(mode) - Guard;
        if (ledger.Available)
        {
            var limits = budget.Limits;
            var plan = Plan(limits, bot, priority, weight, orders, chargeGlobal, 1);
            try
            {
                var result = lease
                    ? await ledger.LeaseAsync(mode, now, plan, LeaseWant(budget, plan, priority, now)).ConfigureAwait(false)
                    : await ledger.ChargeAsync(mode, now, plan).ConfigureAwait(false);
                Volatile.Write(ref _fallbackReplicas, 0);
                lock (budget)
                {
                    budget.Roll(now);
                    budget.Answered(now, result);
                    if (result.Outcome == ChargeOutcome.Allowed && bot is not null && plan.BotCharge == BotCharge.Quota)
                    {
                        var quota = budget.Bot(bot, now);
                        quota.Weight += weight;
                        quota.Orders += orders;
                        if (lease)
                        {
                            budget.Leased(bot, priority, now, granted: result.Used, spent: weight);
                        }
                    }
                }

                return Decide(plan, result, limits, priority, now);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                ledger.Failed(e);
            }
        }

        EnterFallback(ledger.Replicas);
        if (orders > 0 && priority != RequestPriority.RiskReducing)
        {
            return new BudgetDecision(false, "the shared order budget cannot be checked (the replicas' shared store is unreachable); only cancels and reduce-only orders are accepted until it is back",
                TimeSpan.FromSeconds(1), SharedStoreDown: true);
        }

        return TryCharge(mode, bot, priority, weight, orders, chargeGlobal);
    }

    /// <summary>
    /// Going local: this replica's counters start from its share of what all replicas had spent in the current windows,
    /// so the replicas together stay within each limit.
    /// </summary>
    private void EnterFallback(int replicas)
    {
        var divisor = Math.Max(1, replicas);
        if (Interlocked.Exchange(ref _fallbackReplicas, divisor) == divisor)
        {
            return;
        }

        foreach (var (mode, budget) in _modes)
        {
            lock (budget)
            {
                budget.Roll(clock.NowMs(mode) - Guard);
                budget.Local.Raise(budget.Shared.Weight / divisor, budget.Shared.Orders10s / divisor, budget.Shared.Orders1m / divisor);

                // A Redis that comes back may have restarted empty: weight leased before would then be spent uncounted.
                budget.DropLeases();
            }
        }
    }

    private static void Try(RedisBudgetLedger ledger, Action command)
    {
        try
        {
            command();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            ledger.Failed(e);
        }
    }

    private BudgetPlan Plan(ExchangeLimits limits, string? bot, RequestPriority priority, int weight, int orders, bool chargeGlobal, int divisor)
    {
        var o = options.Value;
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
        var normalWeight = Share(usableWeight, 100 - o.ReservePercent);
        var normal10s = Share(usable10s, 100 - o.ReservePercent);
        var (weightQuota, orderQuota) = BotQuotas(limits, o, divisor);
        var botCharge = bot is null ? BotCharge.None
            : priority != RequestPriority.RiskReducing ? BotCharge.Quota
            : chargeGlobal ? BotCharge.Reserve : BotCharge.None;
        return new BudgetPlan(bot, weight, orders, chargeGlobal, botCharge,
            weightCeiling, Share(usable10s, reserved), Share(usable1m, reserved), weightQuota, orderQuota,
            normalWeight, normal10s, usableWeight - normalWeight, usable10s - normal10s);
    }

    /// <summary>The next lease's size: one request's weight at first, twice the last one in this window, half the last window's last in a new one; at most the cap.</summary>
    private int LeaseWant(ModeBudget budget, in BudgetPlan plan, RequestPriority priority, long now)
    {
        var cap = Math.Max(plan.Weight, Share(Usable(budget.Limits.WeightPerMinute, options.Value.SafetyMarginPercent), LeasePercent));
        lock (budget)
        {
            return (int)Math.Clamp(budget.NextLease(plan.Bot!, priority, now), plan.Weight, cap);
        }
    }

    private static BudgetDecision Decide(in BudgetPlan plan, in ChargeResult result, ExchangeLimits limits, RequestPriority priority, long now) => result.Outcome switch
    {
        ChargeOutcome.Allowed => BudgetDecision.Allow,
        ChargeOutcome.Weight => Refuse(priority is RequestPriority.MarketData or RequestPriority.Account
            ? $"the shared key's request weight for this minute is spent down to what orders and cancels need ({result.Weight}/{limits.WeightPerMinute})"
            : $"the shared key's request weight for this minute is spent down to the reserve for cancels ({result.Weight}/{limits.WeightPerMinute})", Minute, now),
        ChargeOutcome.Orders10s => Refuse($"the shared key's order count for these 10 s is spent down to the reserve for cancels ({result.Orders10s}/{limits.OrdersPer10Seconds})", TenSeconds, now),
        ChargeOutcome.Orders1m => Refuse($"the shared key's order count for this minute is spent down to the reserve for cancels ({result.Orders1m}/{limits.OrdersPerMinute})", Minute, now),
        ChargeOutcome.ReserveShare => Refuse($"bot '{plan.Bot}' has used its share of the cancel reserve ({result.Used}/{result.Limit} weight, {result.Used2}/{result.Limit2} orders); the rest is kept for the other bots", TenSeconds, now),
        ChargeOutcome.BotWeight => Refuse($"bot '{plan.Bot}' has used its request weight quota for this minute ({result.Used}/{result.Limit})", Minute, now),
        _ => Refuse($"bot '{plan.Bot}' has used its order quota for these 10 s ({result.Used}/{result.Limit})", TenSeconds, now),
    };

    private static BudgetDecision Refuse(string reason, long window, long now) => new(false, reason, TimeSpan.FromMilliseconds(window - (now % window) + 1));

    private static int? Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static int Usable(int limit, int marginPercent) => (int)((long)limit * (100 - marginPercent) / 100);

    /// <summary>A bot's weight quota per minute and order quota per 10 s: as configured, or a quarter of what the key may use; a replica's share of it while on its own.</summary>
    private static (int Weight, int Orders) BotQuotas(ExchangeLimits limits, BudgetOptions o, int divisor = 1) =>
        (o.PerBotWeightPerMinute is { } w ? Math.Max(1, w / divisor) : Math.Max(1, Usable(limits.WeightPerMinute, o.SafetyMarginPercent) / 4),
         o.PerBotOrdersPer10Seconds is { } n ? Math.Max(1, n / divisor) : Math.Max(1, Usable(limits.OrdersPer10Seconds, o.SafetyMarginPercent) / 4));

    private static int Share(int usable, int percent) => (int)((long)usable * percent / 100);

    private ModeBudget For(TradingMode mode) => _modes.GetOrAdd(mode, _ => new ModeBudget());

    /// <summary>Counts in the exchange's current windows.</summary>
    private sealed class Counts
    {
        public int Weight { get; set; }

        public int Orders10s { get; set; }

        public int Orders1m { get; set; }

        public bool Exceeded(int weight, int orders10s, int orders1m) => weight > Weight || orders10s > Orders10s || orders1m > Orders1m;

        public void Set(int weight, int orders10s, int orders1m) => (Weight, Orders10s, Orders1m) = (weight, orders10s, orders1m);

        public void Raise(int weight, int orders10s, int orders1m)
        {
            Weight = Math.Max(Weight, weight);
            Orders10s = Math.Max(Orders10s, orders10s);
            Orders1m = Math.Max(Orders1m, orders1m);
        }
    }

    private sealed class ModeBudget
    {
        private readonly Dictionary<string, BotWindow> _bots = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Bot, RequestPriority Priority), Lease> _leases = [];
        private long _minute = -1;
        private long _tenSeconds = -1;

        public ExchangeLimits Limits { get; set; } = ExchangeLimits.Default;

        /// <summary>This process's own counts: all there is on a single node; a replica's share while Redis is unreachable.</summary>
        public Counts Local { get; } = new();

        /// <summary>The replicas' counts as last seen in Redis or in the exchange's headers.</summary>
        public Counts Shared { get; } = new();

        /// <summary>
        /// What Redis holds at least: its answer to this replica's last charge (as it is, so a Redis that restarted empty is
        /// raised again from the exchange's next count), then the raises sent since. A charge answered late can only lower
        /// it, which costs one command more, never one less.
        /// </summary>
        public Counts InRedis { get; } = new();

        public int BotCount => _bots.Count;

        /// <summary>
        /// Starts new windows when <paramref name="nowMs"/> is past the current ones, never goes back: a time read before
        /// another thread rolled (or before a clock correction moved the exchange's time back) would otherwise reset the
        /// new windows' counts, twice, and hand their budget out again.
        /// </summary>
        public void Roll(long nowMs)
        {
            if (nowMs / Minute > _minute)
            {
                _minute = nowMs / Minute;
                Local.Weight = Shared.Weight = InRedis.Weight = 0;
                Local.Orders1m = Shared.Orders1m = InRedis.Orders1m = 0;
            }

            if (nowMs / TenSeconds > _tenSeconds)
            {
                _tenSeconds = nowMs / TenSeconds;
                Local.Orders10s = Shared.Orders10s = InRedis.Orders10s = 0;
            }
        }

        /// <summary>
        /// Redis's answer to a charge made at <paramref name="nowMs"/>: the shared counts, for the windows still current
        /// here. An answer from a window that has since rolled over counts that window's key in Redis, not the new one's.
        /// </summary>
        public void Answered(long nowMs, in ChargeResult result)
        {
            if (nowMs / Minute < _minute)
            {
                return;
            }

            var tenSeconds = nowMs / TenSeconds == _tenSeconds;
            Shared.Raise(result.Weight, tenSeconds ? result.Orders10s : 0, result.Orders1m);
            InRedis.Set(result.Weight, tenSeconds ? result.Orders10s : InRedis.Orders10s, result.Orders1m);
        }

        /// <summary>Spends <paramref name="weight"/> from the bot's lease for this priority in the current window, if it holds that much.</summary>
        public bool TrySpendLease(string bot, RequestPriority priority, int weight, long nowMs)
        {
            if (!_leases.TryGetValue((bot, priority), out var lease) || lease.Minute != nowMs / Minute || lease.Left < weight)
            {
                return false;
            }

            lease.Left -= weight;
            return true;
        }

        /// <summary>
        /// The next lease's size before its bounds: twice the last one while the bot keeps spending in this window, half
        /// the last window's last at the start of a new one (a bot that slowed down wastes less), 0 for a first.
        /// </summary>
        public long NextLease(string bot, RequestPriority priority, long nowMs) =>
            !_leases.TryGetValue((bot, priority), out var lease) ? 0
            : lease.Minute == nowMs / Minute ? 2L * lease.Size
            : lease.Size / 2;

        /// <summary>
        /// A lease Redis granted for a charge made at <paramref name="nowMs"/>, of which the request spent
        /// <paramref name="spent"/>. Granted for a window that has rolled over here, its rest belongs to that window's key.
        /// </summary>
        public void Leased(string bot, RequestPriority priority, long nowMs, int granted, int spent)
        {
            var minute = nowMs / Minute;
            if (minute < _minute)
            {
                return;
            }

            if (!_leases.TryGetValue((bot, priority), out var lease))
            {
                _leases[(bot, priority)] = lease = new Lease();
            }

            if (lease.Minute != minute)
            {
                (lease.Minute, lease.Left) = (minute, 0);
            }

            lease.Size = granted;
            lease.Left += Math.Max(0, granted - spent);
        }

        public void DropLeases() => _leases.Clear();

        /// <summary>The check and charge on this process's counters; the same rules as the Redis script.</summary>
        public ChargeResult Charge(long now, in BudgetPlan plan)
        {
            var counts = Local;
            var (weight, orders) = (plan.Weight, plan.Orders);
            if (plan.ChargeGlobal)
            {
                if (counts.Weight + weight > plan.WeightCeiling)
                {
                    return Result(ChargeOutcome.Weight);
                }

                if (orders > 0 && counts.Orders10s + orders > plan.Orders10sCeiling)
                {
                    return Result(ChargeOutcome.Orders10s);
                }

                if (orders > 0 && counts.Orders1m + orders > plan.Orders1mCeiling)
                {
                    return Result(ChargeOutcome.Orders1m);
                }
            }

            var quota = plan.BotCharge == BotCharge.None ? null : Bot(plan.Bot!, now);
            var usesReserve = false;
            if (plan.BotCharge == BotCharge.Reserve)
            {
                usesReserve = counts.Weight + weight > plan.NormalWeight || (orders > 0 && counts.Orders10s + orders > plan.Normal10s);
                if (usesReserve)
                {
                    var bots = Math.Max(1, BotCount);
                    var fairWeight = Math.Max(weight, plan.ReserveWeight / bots);
                    var fairOrders = Math.Max(orders, plan.Reserve10s / bots);
                    if (quota!.ReserveWeight + weight > fairWeight || (orders > 0 && quota.ReserveOrders + orders > fairOrders))
                    {
                        return Result(ChargeOutcome.ReserveShare, quota.ReserveWeight, fairWeight, quota.ReserveOrders, fairOrders);
                    }
                }
            }
            else if (plan.BotCharge == BotCharge.Quota)
            {
                if (quota!.Weight + weight > plan.BotWeightQuota)
                {
                    return Result(ChargeOutcome.BotWeight, quota.Weight, plan.BotWeightQuota);
                }

                if (orders > 0 && quota.Orders + orders > plan.BotOrderQuota)
                {
                    return Result(ChargeOutcome.BotOrders, quota.Orders, plan.BotOrderQuota);
                }
            }

            if (plan.ChargeGlobal)
            {
                counts.Weight += weight;
                counts.Orders10s += orders;
                counts.Orders1m += orders;
            }

            if (plan.BotCharge == BotCharge.Quota)
            {
                quota!.Weight += weight;
                quota.Orders += orders;
            }
            else if (usesReserve)
            {
                quota!.ReserveWeight += weight;
                quota.ReserveOrders += orders;
            }

            return Result(ChargeOutcome.Allowed);

            ChargeResult Result(ChargeOutcome outcome, int used = 0, int limit = 0, int used2 = 0, int limit2 = 0) =>
                new(outcome, counts.Weight, counts.Orders10s, counts.Orders1m, used, limit, used2, limit2);
        }

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

    /// <summary>Weight charged in Redis ahead of need for one bot and priority, in one minute window.</summary>
    private sealed class Lease
    {
        public long Minute { get; set; } = -1;

        public int Left { get; set; }

        public int Size { get; set; }
    }

    private sealed class BotWindow
    {
        private long _minute = -1;
        private long _tenSeconds = -1;

        public int Weight { get; set; }

        public int Orders { get; set; }

        public int ReserveWeight { get; set; }

        public int ReserveOrders { get; set; }

        /// <summary>Forwards only, as the upstream's windows.</summary>
        public void Roll(long nowMs)
        {
            if (nowMs / Minute > _minute)
            {
                _minute = nowMs / Minute;
                Weight = 0;
                ReserveWeight = 0;
            }

            if (nowMs / TenSeconds > _tenSeconds)
            {
                _tenSeconds = nowMs / TenSeconds;
                Orders = 0;
                ReserveOrders = 0;
            }
        }
    }
}
