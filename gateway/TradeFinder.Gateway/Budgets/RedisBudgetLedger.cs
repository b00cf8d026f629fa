using System.Globalization;
using StackExchange.Redis;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Cluster;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// The shared budget in Redis, for replicas that must act as one client of the exchange: one script per decision checks
/// and charges the shared windows and the bot's quota together, atomically for all replicas. Keys are the exchange's
/// fixed windows by their start in exchange time (Binance USDⓈ-M Futures "General Info: limits": weight per minute per
/// IP, orders per 10 s and per minute per account), so every replica with a synchronised clock charges the same key,
/// and they expire on their own shortly after their window.
/// </summary>
internal sealed class RedisBudgetLedger(SharedRedis redis, ClusterMembership membership)
{
    private const long Minute = 60_000;
    private const long TenSeconds = 10_000;
    private const long MinuteTtl = Minute + 5_000;
    private const long TenSecondsTtl = TenSeconds + 5_000;

    // KEYS: 1 weight/min, 2 orders/10 s, 3 orders/min, 4 bot weight/min, 5 bot orders/10 s, 6 bot reserve weight/min,
    // 7 bot reserve orders/10 s, 8 bots seen this minute. ARGV as BudgetPlan, then the bot, then the two key lifetimes.
    private const string ChargeScript = """
        local weight = tonumber(ARGV[1]); local orders = tonumber(ARGV[2])
        local global = ARGV[3] == '1'; local botCharge = ARGV[4]
        local w = tonumber(redis.call('GET', KEYS[1]) or '0')
        local o10 = tonumber(redis.call('GET', KEYS[2]) or '0')
        local o1m = tonumber(redis.call('GET', KEYS[3]) or '0')
        if global then
          if w + weight > tonumber(ARGV[5]) then return {1, w, o10, o1m} end
          if orders > 0 and o10 + orders > tonumber(ARGV[6]) then return {2, w, o10, o1m} end
          if orders > 0 and o1m + orders > tonumber(ARGV[7]) then return {3, w, o10, o1m} end
        end
        local usesReserve = false
        if botCharge ~= '0' then
          redis.call('SADD', KEYS[8], ARGV[14]); redis.call('PEXPIRE', KEYS[8], ARGV[15])
        end
        if botCharge == '2' then
          usesReserve = w + weight > tonumber(ARGV[10]) or (orders > 0 and o10 + orders > tonumber(ARGV[11]))
          if usesReserve then
            local bots = redis.call('SCARD', KEYS[8])
            local fairW = math.max(weight, math.floor(tonumber(ARGV[12]) / bots))
            local fairO = math.max(orders, math.floor(tonumber(ARGV[13]) / bots))
            local rw = tonumber(redis.call('GET', KEYS[6]) or '0')
            local ro = tonumber(redis.call('GET', KEYS[7]) or '0')
            if rw + weight > fairW or (orders > 0 and ro + orders > fairO) then return {4, w, o10, o1m, rw, fairW, ro, fairO} end
          end
        elseif botCharge == '1' then
          local bw = tonumber(redis.call('GET', KEYS[4]) or '0')
          local bo = tonumber(redis.call('GET', KEYS[5]) or '0')
          if bw + weight > tonumber(ARGV[8]) then return {5, w, o10, o1m, bw, tonumber(ARGV[8])} end
          if orders > 0 and bo + orders > tonumber(ARGV[9]) then return {6, w, o10, o1m, bo, tonumber(ARGV[9])} end
        end
        if global then
          w = redis.call('INCRBY', KEYS[1], weight); redis.call('PEXPIRE', KEYS[1], ARGV[15])
          if orders > 0 then
            o10 = redis.call('INCRBY', KEYS[2], orders); redis.call('PEXPIRE', KEYS[2], ARGV[16])
            o1m = redis.call('INCRBY', KEYS[3], orders); redis.call('PEXPIRE', KEYS[3], ARGV[15])
          end
        end
        if botCharge == '1' then
          redis.call('INCRBY', KEYS[4], weight); redis.call('PEXPIRE', KEYS[4], ARGV[15])
          if orders > 0 then redis.call('INCRBY', KEYS[5], orders); redis.call('PEXPIRE', KEYS[5], ARGV[16]) end
        elseif usesReserve then
          redis.call('INCRBY', KEYS[6], weight); redis.call('PEXPIRE', KEYS[6], ARGV[15])
          if orders > 0 then redis.call('INCRBY', KEYS[7], orders); redis.call('PEXPIRE', KEYS[7], ARGV[16]) end
        end
        return {0, w, o10, o1m}
        """;

    // A lease: the same weight checks as a bot's read (the key's weight under the priority's ceiling, the bot's weight
    // quota), but for up to ARGV[2] weight at once, in whole multiples of the request's ARGV[1], and never more than a
    // quarter of what either has left, so replicas holding leases near the end of a window hold little of it.
    // KEYS as the charge. ARGV: need, want, ceiling, bot weight quota, the bot, the two key lifetimes.
    private const string LeaseScript = """
        local need = tonumber(ARGV[1]); local want = tonumber(ARGV[2])
        local ceiling = tonumber(ARGV[3]); local quota = tonumber(ARGV[4])
        local w = tonumber(redis.call('GET', KEYS[1]) or '0')
        local o10 = tonumber(redis.call('GET', KEYS[2]) or '0')
        local o1m = tonumber(redis.call('GET', KEYS[3]) or '0')
        redis.call('SADD', KEYS[8], ARGV[5]); redis.call('PEXPIRE', KEYS[8], ARGV[6])
        if w + need > ceiling then return {1, w, o10, o1m} end
        local bw = tonumber(redis.call('GET', KEYS[4]) or '0')
        if bw + need > quota then return {5, w, o10, o1m, bw, quota} end
        local grant = math.min(want, math.floor((ceiling - w) / 4), math.floor((quota - bw) / 4))
        grant = math.max(need, grant - grant % need)
        w = redis.call('INCRBY', KEYS[1], grant); redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('INCRBY', KEYS[4], grant); redis.call('PEXPIRE', KEYS[4], ARGV[6])
        return {0, w, o10, o1m, grant}
        """;

    // KEYS: weight/min, orders/10 s, orders/min. ARGV: the exchange's counts (-1: not sent), then the two lifetimes.
    private const string RaiseScript = """
        for i = 1, 3 do
          local seen = tonumber(ARGV[i])
          if seen >= 0 and seen > tonumber(redis.call('GET', KEYS[i]) or '0') then
            redis.call('SET', KEYS[i], seen, 'PX', i == 2 and ARGV[5] or ARGV[4])
          end
        end
        return 0
        """;

    public bool Available => redis.Available;

    /// <summary>Replicas alive at the last heartbeat: each one's share of the budget while Redis is unreachable.</summary>
    public int Replicas => membership.LiveReplicas;

    public void Failed(Exception error) => redis.Failed(error);

    public async Task<ChargeResult> ChargeAsync(TradingMode mode, long nowMs, BudgetPlan plan)
    {
        var keys = Keys(mode, nowMs, plan.Bot);
        RedisValue[] args =
        [
            plan.Weight, plan.Orders, plan.ChargeGlobal ? 1 : 0, (int)plan.BotCharge,
            plan.WeightCeiling, plan.Orders10sCeiling, plan.Orders1mCeiling, plan.BotWeightQuota, plan.BotOrderQuota,
            plan.NormalWeight, plan.Normal10s, plan.ReserveWeight, plan.Reserve10s, plan.Bot ?? string.Empty, MinuteTtl, TenSecondsTtl,
        ];
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(ChargeScript, keys, args).ConfigureAwait(false))!;
        int At(int i) => result.Length > i ? (int)result[i] : 0;
        return new ChargeResult((ChargeOutcome)At(0), At(1), At(2), At(3), At(4), At(5), At(6), At(7));
    }

    /// <summary>
    /// Charges a lease of up to <paramref name="want"/> weight to the shared windows and the bot's quota under the plan's
    /// ceilings; allowed with the weight granted (at least the plan's) in <see cref="ChargeResult.Used"/>.
    /// </summary>
    public async Task<ChargeResult> LeaseAsync(TradingMode mode, long nowMs, BudgetPlan plan, int want)
    {
        var keys = Keys(mode, nowMs, plan.Bot);
        RedisValue[] args = [plan.Weight, want, plan.WeightCeiling, plan.BotWeightQuota, plan.Bot ?? string.Empty, MinuteTtl, TenSecondsTtl];
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(LeaseScript, keys, args).ConfigureAwait(false))!;
        int At(int i) => result.Length > i ? (int)result[i] : 0;
        return new ChargeResult((ChargeOutcome)At(0), At(1), At(2), At(3), At(4), At(5));
    }

    /// <summary>The exchange's own counts raise the shared ones (fire and forget: the answer is already on its way).</summary>
    public void Raise(TradingMode mode, long nowMs, int? weight, int? orders10s, int? orders1m)
    {
        var keys = Keys(mode, nowMs, null);
        redis.Database.ScriptEvaluate(RaiseScript, [keys[0], keys[1], keys[2]],
            [weight ?? -1, orders10s ?? -1, orders1m ?? -1, MinuteTtl, TenSecondsTtl], CommandFlags.FireAndForget);
    }

    /// <summary>Charges a bot's quota after the fact (an exempt request the exchange rejected), without any check.</summary>
    public void ChargeBot(TradingMode mode, long nowMs, string bot, int weight, int orders)
    {
        var keys = Keys(mode, nowMs, bot);
        var db = redis.Database;
        var batch = db.CreateBatch();
        _ = batch.StringIncrementAsync(keys[3], weight, CommandFlags.FireAndForget);
        _ = batch.KeyExpireAsync(keys[3], TimeSpan.FromMilliseconds(MinuteTtl), flags: CommandFlags.FireAndForget);
        _ = batch.StringIncrementAsync(keys[4], orders, CommandFlags.FireAndForget);
        _ = batch.KeyExpireAsync(keys[4], TimeSpan.FromMilliseconds(TenSecondsTtl), flags: CommandFlags.FireAndForget);
        batch.Execute();
    }

    private static RedisKey[] Keys(TradingMode mode, long nowMs, string? bot)
    {
        // One hash tag per mode keeps a decision's keys in one slot (Redis Cluster runs a script only on one node).
        var prefix = "tf:{" + mode.ToConfigValue() + "}:";
        var minute = (nowMs / Minute).ToString(CultureInfo.InvariantCulture);
        var tenSeconds = (nowMs / TenSeconds).ToString(CultureInfo.InvariantCulture);
        var who = bot ?? "-";
        return
        [
            prefix + "w:" + minute, prefix + "o10:" + tenSeconds, prefix + "o1m:" + minute,
            prefix + "bw:" + who + ":" + minute, prefix + "bo:" + who + ":" + tenSeconds,
            prefix + "rw:" + who + ":" + minute, prefix + "ro:" + who + ":" + tenSeconds,
            prefix + "bots:" + minute,
        ];
    }
}
