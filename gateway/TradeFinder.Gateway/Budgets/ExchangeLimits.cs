using System.Text.Json;

namespace TradeFinder.Gateway.Budgets;

/// <summary>The exchange's published limits for one upstream (exchangeInfo <c>rateLimits</c>, Binance USDⓈ-M Futures "General Info: limits").</summary>
internal sealed record ExchangeLimits(int WeightPerMinute, int OrdersPer10Seconds, int OrdersPerMinute)
{
    /// <summary>USDⓈ-M defaults, used until exchangeInfo has been read.</summary>
    public static readonly ExchangeLimits Default = new(2400, 300, 1200);

    /// <summary>One replica's part of each limit when the replicas cannot count together.</summary>
    public ExchangeLimits Share(int replicas) =>
        new(Math.Max(1, WeightPerMinute / replicas), Math.Max(1, OrdersPer10Seconds / replicas), Math.Max(1, OrdersPerMinute / replicas));

    public static ExchangeLimits Parse(JsonElement exchangeInfo)
    {
        var limits = Default;
        if (!exchangeInfo.TryGetProperty("rateLimits", out var rateLimits))
        {
            return limits;
        }

        foreach (var limit in rateLimits.EnumerateArray())
        {
            var type = limit.GetProperty("rateLimitType").GetString();
            var interval = limit.GetProperty("interval").GetString();
            var count = limit.GetProperty("intervalNum").GetInt32();
            var value = limit.GetProperty("limit").GetInt32();
            limits = (type, interval, count) switch
            {
                ("REQUEST_WEIGHT", "MINUTE", 1) => limits with { WeightPerMinute = value },
                ("ORDERS", "SECOND", 10) => limits with { OrdersPer10Seconds = value },
                ("ORDERS", "MINUTE", 1) => limits with { OrdersPerMinute = value },
                _ => limits,
            };
        }

        return limits;
    }
}
