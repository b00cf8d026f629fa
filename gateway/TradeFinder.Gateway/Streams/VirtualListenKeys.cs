using System.Security.Cryptography;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// The listen keys bots get: one per bot, valid 60 minutes and extended by its keep-alive, as the exchange's own
/// (Binance USDⓈ-M Futures "Start User Data Stream"). They name the bot's view of its account's stream; the
/// account's real key is the gateway's and no bot ever sees, extends or deletes it.
/// </summary>
internal sealed class VirtualListenKeys(TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(60);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    /// <summary>Raised (outside the lock) when a key is closed: its connections end.</summary>
    public event Action<string>? Closed;

    /// <summary>The bot's active key, extended; a new one when it has none (as the exchange answers a second POST).</summary>
    public string Open(string bot, ExchangeAccount account)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var key = _keys.FirstOrDefault(k => k.Value.Bot == bot && k.Value.Account == account && k.Value.Expires > now).Key
                ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            _keys[key] = new Entry(bot, account, now + Validity);
            return key;
        }
    }

    /// <summary>Extends the bot's key (the named one, or its active one); false when it has none.</summary>
    public bool KeepAlive(string bot, string? key)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            key ??= _keys.FirstOrDefault(k => k.Value.Bot == bot && k.Value.Expires > now).Key;
            if (key is null || !_keys.TryGetValue(key, out var entry) || entry.Bot != bot || entry.Expires <= now)
            {
                return false;
            }

            _keys[key] = entry with { Expires = now + Validity };
            return true;
        }
    }

    /// <summary>Closes the bot's key (the named one, or all of its keys); another bot's key is never touched.</summary>
    public void Close(string bot, string? key)
    {
        List<string> closed;
        lock (_gate)
        {
            closed = [.. _keys.Where(k => k.Value.Bot == bot && (key is null || k.Key == key)).Select(k => k.Key)];
            closed.ForEach(k => _keys.Remove(k));
        }

        closed.ForEach(k => Closed?.Invoke(k));
    }

    /// <summary>The account of an active key of this bot; null when the key is not the bot's or has expired.</summary>
    public ExchangeAccount? AccountOf(string bot, string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var entry) && entry.Bot == bot && entry.Expires > time.GetUtcNow() ? entry.Account : null;
        }
    }

    public bool IsActive(string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow();
        }
    }

    private sealed record Entry(string Bot, ExchangeAccount Account, DateTimeOffset Expires);
}
