namespace TradeFinder.Gateway.Keys;

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
