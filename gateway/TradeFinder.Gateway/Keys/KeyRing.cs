using System.Collections.Frozen;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Every key the gateway holds, by set. Resolution picks, for the mode's upstream, the key of the bot's group
/// and the request's purpose — a read key for reads when one exists, otherwise the group's trading key — and
/// never a key bound to another mode, so a testnet key cannot reach the live host or the reverse.
/// </summary>
internal sealed class KeyRing : IDisposable
{
    private readonly FrozenDictionary<string, KeySlot> _byName;
    private readonly FrozenDictionary<(TradingMode, KeyPurpose, string), KeySlot> _byUse;

    public KeyRing(IEnumerable<KeySlot> slots)
    {
        _byName = slots.ToFrozenDictionary(s => s.Set.Name, StringComparer.Ordinal);
        _byUse = _byName.Values.ToFrozenDictionary(s => (s.Set.Mode, s.Set.Purpose, s.Set.Group));
    }

    public IEnumerable<KeySlot> Slots => _byName.Values.OrderBy(s => s.Set.Name, StringComparer.Ordinal);

    public KeySlot? Find(string name) => _byName.GetValueOrDefault(name);

    public ExchangeKey? Resolve(TradingMode mode, KeyPurpose purpose, string? group)
    {
        // A group is an account of its own: it never falls back to another group's key (that would act on, or
        // show, another account). Within the group, reads may use the trading key.
        group ??= KeySet.DefaultGroup;
        var slot = Lookup(mode, purpose, group);
        if (slot is null && purpose == KeyPurpose.Read)
        {
            slot = Lookup(mode, KeyPurpose.Trade, group);
        }

        return slot is { Verified: true } ? slot.Active : null;
    }

    public void Dispose()
    {
        foreach (var slot in _byName.Values)
        {
            slot.RetirePrevious();
            slot.Active.Retire();
        }

        foreach (var provider in _byName.Values.Select(s => s.Provider).Distinct().OfType<IDisposable>())
        {
            provider.Dispose();
        }
    }

    private KeySlot? Lookup(TradingMode mode, KeyPurpose purpose, string group) =>
        _byUse.TryGetValue((mode, purpose, group), out var slot) && slot.Set.Mode == mode ? slot : null;
}
