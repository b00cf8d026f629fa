using System.Runtime.CompilerServices;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Orders;

/// <summary>Which registered bot a client-id tag belongs to (rebuilt when the registry changes).</summary>
internal sealed class BotTags(BotRegistry registry)
{
    private readonly ConditionalWeakTable<IReadOnlyList<BotRecord>, Dictionary<string, string>> _byTag = [];

    public string? BotFor(string tag) =>
        _byTag.GetValue(registry.All(), bots => bots
            .GroupBy(b => ClientIds.Tag(b.Name), StringComparer.Ordinal)
            .Where(g => g.Count() == 1) // two names with one tag (about 1 in 10^9 per pair) own nothing by tag: deny by default
            .ToDictionary(g => g.Key, g => g.Single().Name, StringComparer.Ordinal))
            .GetValueOrDefault(tag);
}
