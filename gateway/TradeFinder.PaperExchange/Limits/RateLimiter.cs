using System.Globalization;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Limits;

/// <summary>
/// Fixed-window request-weight (per IP) and order-count (per account) limits. Past the limit: 429 with
/// Retry-After; carrying on while limited: 418 with an escalating ban, as the exchange does.
/// </summary>
internal sealed class RateLimiter(RateLimitSettings settings, TimeProvider time)
{
    private static readonly TimeSpan MaxBan = TimeSpan.FromDays(3);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IpState> _ips = new(StringComparer.Ordinal);
    private long _tenSecondWindow;
    private long _minuteOrderWindow;
    private int _orders10s;
    private int _orders1m;

    public RateLimitSettings Settings => settings;

    public Decision Charge(string ip, int weight, int orders)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (!_ips.TryGetValue(ip, out var state))
            {
                state = new IpState();
                _ips[ip] = state;
            }

            if (state.BannedUntil > now)
            {
                return Reject(418, -1003, $"Way too many requests; IP({ip}) banned until {state.BannedUntil.ToString(CultureInfo.InvariantCulture)}. Please use the websocket for live updates to avoid bans.",
                    state.BannedUntil - now, state.Weight);
            }

            var minute = now / 60_000;
            if (state.Window != minute)
            {
                state.Window = minute;
                state.Weight = 0;
                state.Violations = 0;
            }

            state.Weight += weight;
            if (state.Weight > settings.WeightPerMinute)
            {
                if (++state.Violations > settings.RequestsBeforeBan)
                {
                    var ban = TimeSpan.FromTicks(Math.Min(MaxBan.Ticks, settings.FirstBan.Ticks << Math.Min(state.Bans, 20)));
                    state.Bans++;
                    state.BannedUntil = now + (long)ban.TotalMilliseconds;
                    return Reject(418, -1003, $"Way too many requests; IP({ip}) banned until {state.BannedUntil.ToString(CultureInfo.InvariantCulture)}. Please use the websocket for live updates to avoid bans.",
                        state.BannedUntil - now, state.Weight);
                }

                return Reject(429, -1003, $"Too many requests; current limit of IP({ip}) request weight per minute is {settings.WeightPerMinute}. Please use the websocket for live updates to avoid polling the API.",
                    ((minute + 1) * 60_000) - now, state.Weight);
            }

            if (orders > 0)
            {
                RollOrderWindows(now);
                if (_orders10s + orders > settings.OrdersPer10Seconds)
                {
                    return Reject(429, -1015, $"Too many new orders; current limit is {settings.OrdersPer10Seconds} orders per TEN_SECONDS.",
                        ((_tenSecondWindow + 1) * 10_000) - now, state.Weight);
                }

                if (_orders1m + orders > settings.OrdersPerMinute)
                {
                    return Reject(429, -1015, $"Too many new orders; current limit is {settings.OrdersPerMinute} orders per MINUTE.",
                        ((_minuteOrderWindow + 1) * 60_000) - now, state.Weight);
                }

                _orders10s += orders;
                _orders1m += orders;
            }

            return new Decision(true, 200, 0, "", 0, state.Weight, orders > 0 ? _orders10s : null, orders > 0 ? _orders1m : null);
        }
    }

    private void RollOrderWindows(long now)
    {
        if (_tenSecondWindow != now / 10_000)
        {
            _tenSecondWindow = now / 10_000;
            _orders10s = 0;
        }

        if (_minuteOrderWindow != now / 60_000)
        {
            _minuteOrderWindow = now / 60_000;
            _orders1m = 0;
        }
    }

    private static Decision Reject(int status, int code, string message, long retryAfterMs, int weight) =>
        new(false, status, code, message, (int)Math.Max(1, (retryAfterMs + 999) / 1000), weight, null, null);

    internal sealed record Decision(bool Allowed, int Status, int Code, string Message, int RetryAfterSeconds, int UsedWeight, int? Orders10s, int? Orders1m)
    {
        public ExchangeException ToException() => new(Code, Message, Status);
    }

    private sealed class IpState
    {
        public long Window { get; set; }

        public int Weight { get; set; }

        public int Violations { get; set; }

        public int Bans { get; set; }

        public long BannedUntil { get; set; }
    }
}
