using System.Security.Cryptography;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// The listen keys bots get: one per bot, valid 60 minutes and extended by its keep-alive, as the exchange's own
/// (Binance USDⓈ-M Futures "Start User Data Stream"). Each names the bot's view of its account's stream
/// (<see cref="ListenKeyFeed"/>); the account's real key is the gateway's and no bot ever sees, extends or deletes it.
/// </summary>
internal sealed class VirtualListenKeys(TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(60);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ListenKeyFeed> _keys = new(StringComparer.Ordinal);

    /// <summary>The bot's active key, extended; a new one when it has none (as the exchange answers a second POST).</summary>
    public string Open(BotIdentity bot)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var feed = _keys.Values.FirstOrDefault(k => k.Bot.Name == bot.Name && k.Account == bot.Account && k.Expires > now);
            if (feed is null)
            {
                feed = new ListenKeyFeed(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), bot, now + Validity);
                _keys[feed.Key] = feed;
            }

            feed.Bot = bot; // the bot's current scopes and limits decide what it sees
            feed.Expires = now + Validity;
            return feed.Key;
        }
    }

    /// <summary>Extends the bot's key (the named one, or its active one); false when it has none.</summary>
    public bool KeepAlive(string bot, string? key)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var feed = key is null ? _keys.Values.FirstOrDefault(k => k.Bot.Name == bot && k.Expires > now) : _keys.GetValueOrDefault(key);
            if (feed is null || feed.Bot.Name != bot || feed.Expires <= now)
            {
                return false;
            }

            feed.Expires = now + Validity;
            return true;
        }
    }

    /// <summary>Closes the bot's key (the named one, or all of its keys) and ends its connections; another bot's key is never touched.</summary>
    public void Close(string bot, string? key)
    {
        List<ListenKeyFeed> closed;
        lock (_gate)
        {
            closed = [.. _keys.Values.Where(k => k.Bot.Name == bot && (key is null || k.Key == key))];
            closed.ForEach(k => _keys.Remove(k.Key));
        }

        closed.ForEach(k => k.EndSessions("listenKey closed"));
    }

    /// <summary>The bot's active key's feed; null when the key is not the bot's or has expired.</summary>
    public ListenKeyFeed? FeedOf(string bot, string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var feed) && feed.Bot.Name == bot && feed.Expires > time.GetUtcNow() ? feed : null;
        }
    }

    /// <summary>The active keys on an account (expired ones are dropped here).</summary>
    public IReadOnlyList<ListenKeyFeed> On(ExchangeAccount account)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var expired in _keys.Values.Where(k => k.Expires <= now).ToList())
            {
                _keys.Remove(expired.Key);
                expired.EndSessions("listenKey expired");
            }

            return [.. _keys.Values.Where(k => k.Account == account)];
        }
    }

    public bool IsActive(string key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var feed) && feed.Expires > time.GetUtcNow();
        }
    }
}
