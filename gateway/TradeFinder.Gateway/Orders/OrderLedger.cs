using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// Which client order ids each bot placed, so a halt with --cancel-open cancels that bot's orders and no
/// other bot's on the shared account. Orders without a bot-chosen id get one from the gateway.
/// </summary>
internal sealed class OrderLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Symbol, string ClientId, bool Algo), byte>> _byBot = new(StringComparer.Ordinal);

    public static string NewClientId() => "tf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public void Record(string bot, string symbol, string clientId, bool algo) =>
        _byBot.GetOrAdd(bot, _ => new()).TryAdd((symbol, clientId, algo), 0);

    public IReadOnlyList<(string Symbol, string ClientId, bool Algo)> Drain(string bot) =>
        _byBot.TryRemove(bot, out var orders) ? [.. orders.Keys] : [];
}
