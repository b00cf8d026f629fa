using System.Collections.Concurrent;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// One instance of each bot name, account group, symbol, side and position side the ledger's orders repeat: a ledger
/// keeps closed orders for days to months, and each order carried its own copies of these (parsed from its request, its
/// answer or its stored row). Bounded, so that text nobody validated cannot grow it: past the bound a value is kept as it is.
/// </summary>
internal static class OrderStrings
{
    private const int MaxShared = 10_000;
    private static readonly ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);

    public static string Of(string value) =>
        Shared.TryGetValue(value, out var shared) ? shared : Shared.Count < MaxShared ? Shared.GetOrAdd(value, value) : value;
}
