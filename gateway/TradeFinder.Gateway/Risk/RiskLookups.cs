using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Risk;

/// <summary>
/// What the risk step needs from the exchange, cached briefly and shared by the bots of an account: the mark price
/// (1 s), the account's leverage and margin type on a symbol (5 s, dropped when a change goes through the
/// gateway), and the account's open orders on a symbol (1 s). A look-up that does go upstream is charged to the
/// bot that needed it, before it is sent; a bot over its quota gets no look-up at all. Each answer is read once, when
/// it arrives, not by every order that uses it; an answer that cannot be read is cached like any other and fails
/// every order that needs it until it expires, as the exchange's answer it stands for would.
/// </summary>
internal sealed class RiskLookups(UpstreamQueries upstream, TimeProvider time)
{
    private static readonly TimeSpan MarkPriceAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettingsAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OpenOrdersAge = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(LookupKind Kind, ExchangeAccount Account, string Symbol), CachedLookup> _cache = new();

    private enum LookupKind
    {
        MarkPrice,
        Settings,
        OpenOrders,
    }

    public ValueTask<decimal> MarkPriceAsync(BotIdentity bot, string symbol, CancellationToken cancellationToken) =>
        // Public data: one entry per mode, whichever account asked.
        GetAsync(LookupKind.MarkPrice, ExchangeAccount.Of(bot.Mode, null), bot, UsdmPaths.PremiumIndex, symbol, MarkPriceAge, ReadMarkPrice, cancellationToken);

    /// <summary>The leverage and margin type the exchange will apply to the bot's next order on the symbol (account-wide).</summary>
    public ValueTask<(int Leverage, string MarginType)> SettingsAsync(BotIdentity bot, string symbol, CancellationToken cancellationToken) =>
        GetAsync(LookupKind.Settings, bot.Account, bot, UsdmPaths.PositionRiskV2, symbol, SettingsAge, ReadSettings, cancellationToken);

    /// <summary>The account's open orders on the symbol, as the exchange lists them (with what each has executed).</summary>
    public ValueTask<IReadOnlyList<JsonElement>> OpenOrdersAsync(BotIdentity bot, string symbol, bool fresh, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            _cache.TryRemove((LookupKind.OpenOrders, bot.Account, symbol), out _);
        }

        return GetAsync(LookupKind.OpenOrders, bot.Account, bot, UsdmPaths.OpenOrders, symbol, OpenOrdersAge, ReadOpenOrders, cancellationToken);
    }

    /// <summary>A leverage or margin type change went through: the next order looks again.</summary>
    public void SettingsChanged(ExchangeAccount account, string symbol) => _cache.TryRemove((LookupKind.Settings, account, symbol), out _);

    private ValueTask<T> GetAsync<T>(
        LookupKind kind, ExchangeAccount account, BotIdentity bot, string path, string symbol, TimeSpan age, Func<JsonElement, string, T> read, CancellationToken cancellationToken)
    {
        var key = (kind, account, symbol);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var entry) && entry.Expires > now && entry.Answer is Task<LookupAnswer<T>> { IsFaulted: false, IsCanceled: false } cached)
        {
            return cached.IsCompletedSuccessfully ? cached.Result.Get() : WaitAsync(cached, cancellationToken);
        }

        return FetchAsync(key, now + age, bot, path, symbol, read, cancellationToken);
    }

    private static async ValueTask<T> WaitAsync<T>(Task<LookupAnswer<T>> pending, CancellationToken cancellationToken) =>
        await (await pending.WaitAsync(cancellationToken).ConfigureAwait(false)).Get().ConfigureAwait(false);

    private async ValueTask<T> FetchAsync<T>(
        (LookupKind, ExchangeAccount Account, string) key, DateTimeOffset expires, BotIdentity bot, string path, string symbol, Func<JsonElement, string, T> read,
        CancellationToken cancellationToken)
    {
        // The bot that needs a fresh value pays for it; concurrent askers share the one call (so one asker
        // leaving does not cancel it for the others).
        var fetch = ReadAsync(upstream.SendAsync(key.Account, bot.Name, HttpMethod.Get, path, "symbol=" + symbol, CancellationToken.None), symbol, read);
        var entry = new CachedLookup(expires, fetch);
        _cache[key] = entry;
        LookupAnswer<T> answer;
        try
        {
            answer = await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _cache.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }

        return await answer.Get().ConfigureAwait(false);
    }

    private static async Task<LookupAnswer<T>> ReadAsync<T>(Task<JsonElement> answer, string symbol, Func<JsonElement, string, T> read)
    {
        var json = await answer.ConfigureAwait(false);
        try
        {
            return new(read(json, symbol), null);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return new(default!, ex.Message);
        }
    }

    private static decimal ReadMarkPrice(JsonElement premium, string symbol) =>
        decimal.Parse(premium.GetProperty("markPrice").GetString()!, CultureInfo.InvariantCulture);

    private static (int Leverage, string MarginType) ReadSettings(JsonElement risk, string symbol)
    {
        var first = risk.ValueKind == JsonValueKind.Array && risk.GetArrayLength() > 0 ? risk[0] : default;
        if (first.ValueKind != JsonValueKind.Object)
        {
            throw new KeyNotFoundException($"No position information for {symbol}.");
        }

        var leverage = int.Parse(first.GetProperty("leverage").GetString()!, CultureInfo.InvariantCulture);
        return (leverage, first.GetProperty("marginType").GetString() == "isolated" ? "ISOLATED" : "CROSSED");
    }

    private static IReadOnlyList<JsonElement> ReadOpenOrders(JsonElement open, string symbol) =>
        open.ValueKind == JsonValueKind.Array ? [.. open.EnumerateArray()] : [];

    /// <summary>A cached look-up: when it expires and the exchange's answer, read (a <c>Task&lt;LookupAnswer&lt;T&gt;&gt;</c>).</summary>
    private sealed record CachedLookup(DateTimeOffset Expires, Task Answer);

    /// <summary>An answer as the risk step uses it, or why it could not be read.</summary>
    private readonly record struct LookupAnswer<T>(T Value, string? Unreadable)
    {
        // Failed as a malformed answer fails a look-up (LookupFailures: nothing is sent), each time it is used.
        public ValueTask<T> Get() => Unreadable is null ? new(Value) : ValueTask.FromException<T>(new InvalidOperationException(Unreadable));
    }
}
