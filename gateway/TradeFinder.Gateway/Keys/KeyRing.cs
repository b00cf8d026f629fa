using System.Collections.Frozen;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>The outcome of checking a key with the exchange (restrictions, then a signed read).</summary>
internal sealed record KeyValidation(bool Ok, DateTimeOffset At, string Summary, IReadOnlyList<string> Warnings)
{
    /// <summary>The exchange could not be asked (unreachable, or backing off): neither passed nor refused.</summary>
    public bool Unverified { get; init; }

    /// <summary>Which key was checked.</summary>
    public string Fingerprint { get; init; } = "";
}

/// <summary>
/// One key set's keys: the active key that signs, the previous key kept for rollback until its window ends,
/// and the last validation. Swaps are atomic; a request that resolved the old key finishes with it.
/// </summary>
internal sealed class KeySlot(KeySet set, IKeyProvider provider, ExchangeKey active)
{
    private ExchangeKey _active = active;
    private bool _verified = true;

    public KeySet Set { get; } = set;

    public IKeyProvider Provider { get; } = provider;

    public ExchangeKey Active => Volatile.Read(ref _active);

    public ExchangeKey? Previous { get; private set; }

    /// <summary>
    /// False until the active key passed the exchange check; a key that could not be checked at start (the
    /// exchange unreachable or backing off) signs nothing until the watcher has checked it.
    /// </summary>
    public bool Verified
    {
        get => Volatile.Read(ref _verified);
        set => Volatile.Write(ref _verified, value);
    }

    public DateTimeOffset? RollbackUntil { get; private set; }

    public KeyValidation? LastValidation { get; set; }

    /// <summary>A source version that failed validation; not retried until the source changes again.</summary>
    public string? RejectedVersion { get; set; }

    /// <summary>Makes <paramref name="next"/> active; the old key stays for rollback (or is retired when the window is zero).</summary>
    public void Promote(ExchangeKey next, DateTimeOffset rollbackUntil, bool keepPrevious)
    {
        var old = Interlocked.Exchange(ref _active, next);
        Previous?.Retire();
        if (keepPrevious)
        {
            Previous = old;
            RollbackUntil = rollbackUntil;
        }
        else
        {
            old.Retire();
            Previous = null;
            RollbackUntil = null;
        }
    }

    /// <summary>Makes the previous key active again and retires the one that replaced it.</summary>
    public ExchangeKey RollBack()
    {
        var previous = Previous ?? throw new InvalidOperationException("No previous key.");
        var replaced = Interlocked.Exchange(ref _active, previous);
        Previous = null;
        RollbackUntil = null;
        replaced.Retire();
        return previous;
    }

    public void RetirePrevious()
    {
        Previous?.Retire();
        Previous = null;
        RollbackUntil = null;
    }
}

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
        group ??= KeySet.DefaultGroup;
        var slot = Lookup(mode, purpose, group) ?? Lookup(mode, purpose, KeySet.DefaultGroup);
        if (slot is null && purpose == KeyPurpose.Read)
        {
            slot = Lookup(mode, KeyPurpose.Trade, group) ?? Lookup(mode, KeyPurpose.Trade, KeySet.DefaultGroup);
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
