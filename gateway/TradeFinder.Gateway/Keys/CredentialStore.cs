using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>The credentials the gateway holds, one per mode; a credential is only ever used for its own mode.</summary>
internal sealed class CredentialStore(IReadOnlyDictionary<TradingMode, ExchangeCredential> credentials) : IDisposable
{
    public IEnumerable<TradingMode> Modes => credentials.Keys;

    public bool TryGet(TradingMode mode, out ExchangeCredential credential)
    {
        if (credentials.TryGetValue(mode, out var found) && found.Mode == mode)
        {
            credential = found;
            return true;
        }

        credential = null!;
        return false;
    }

    public void Dispose()
    {
        foreach (var credential in credentials.Values)
        {
            credential.Dispose();
        }
    }
}
