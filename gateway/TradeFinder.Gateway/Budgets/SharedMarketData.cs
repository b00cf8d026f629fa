using System.Collections.Frozen;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// Public market data that bots share: identical requests are answered by one upstream call, reused for a
/// short per-endpoint time. The budget step charges the shared weight only for that one call — the weight this
/// saves is what keeps orders and cancels possible when many bots poll the same book.
/// </summary>
internal static class SharedMarketData
{
    private static readonly FrozenDictionary<string, TimeSpan> Ttl = new Dictionary<string, TimeSpan>
    {
        [UsdmPaths.Depth] = TimeSpan.FromMilliseconds(250),
        [UsdmPaths.Klines] = TimeSpan.FromSeconds(1),
        [UsdmPaths.Ticker24Hr] = TimeSpan.FromSeconds(1),
        [UsdmPaths.TickerPrice] = TimeSpan.FromMilliseconds(500),
        [UsdmPaths.BookTicker] = TimeSpan.FromMilliseconds(250),
        [UsdmPaths.PremiumIndex] = TimeSpan.FromSeconds(1),
        [UsdmPaths.ExchangeInfo] = TimeSpan.FromSeconds(30),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsShared(UsdmEndpoint endpoint) =>
        endpoint.Method == "GET" && endpoint.Security == SecurityType.None && Ttl.ContainsKey(endpoint.Path);

    /// <summary>How long an answer may be reused: the endpoint's default, capped by <see cref="BudgetOptions.MarketDataMaxAgeMilliseconds"/>.</summary>
    public static TimeSpan TimeToLive(UsdmEndpoint endpoint, BudgetOptions options)
    {
        var ttl = Ttl[endpoint.Path];
        return options.MarketDataMaxAgeMilliseconds is { } cap && TimeSpan.FromMilliseconds(cap) < ttl ? TimeSpan.FromMilliseconds(cap) : ttl;
    }
}
