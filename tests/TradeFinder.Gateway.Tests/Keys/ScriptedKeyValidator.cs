using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>
/// Stands in for the exchange's key check (the real one is covered against the simulator in KeyCustodyTests): answers
/// <see cref="Next"/> and counts the checks.
/// </summary>
internal sealed class ScriptedKeyValidator : IKeyValidator
{
    private int _checks;

    public KeyValidation Next { get; set; } = new(true, DateTimeOffset.UnixEpoch, "passed", []);

    public int Checks => Volatile.Read(ref _checks);

    public Task<KeyValidation> ValidateAsync(ExchangeKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _checks);
        return Task.FromResult(Next);
    }
}
