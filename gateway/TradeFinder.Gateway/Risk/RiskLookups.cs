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
/// bot that needed it, before it is sent; a bot over its quota gets no look-up at all.
/// </summary>
internal sealed class RiskLookups(UpstreamQueries upstream, TimeProvider time)
{
    private static readonly TimeSpan MarkPriceAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettingsAge = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OpenOrdersAge = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string Kind, ExchangeAccount Account, string Symbol), (DateTimeOffset Expires, Task<JsonElement> Value)> _cache = new();

    public async Task<decimal> MarkPriceAsync(BotIdentity bot, string symbol, CancellationToken cancellationToken)
    {
        // Public data: one entry per mode, whichever account asked.
        var premium = await GetAsync("mark", ExchangeAccount.Of(bot.Mode, null), bot, UsdmPaths.PremiumIndex, symbol, MarkPriceAge, cancellationToken).ConfigureAwait(false);
        return decimal.Parse(premium.GetProperty("markPrice").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The leverage and margin type the exchange will apply to the bot's next order on the symbol (account-wide).</summary>
    public async Task<(int Leverage, string MarginType)> SettingsAsync(BotIdentity bot, string symbol, CancellationToken cancellationToken)
    {
        var risk = await GetAsync("settings", bot.Account, bot, UsdmPaths.PositionRiskV2, symbol, SettingsAge, cancellationToken).ConfigureAwait(false);
        var first = risk.ValueKind == JsonValueKind.Array ? risk.EnumerateArray().FirstOrDefault() : default;
        if (first.ValueKind != JsonValueKind.Object)
        {
            throw new KeyNotFoundException($"No position information for {symbol}.");
        }

        var leverage = int.Parse(first.GetProperty("leverage").GetString()!, CultureInfo.InvariantCulture);
        return (leverage, first.GetProperty("marginType").GetString() == "isolated" ? "ISOLATED" : "CROSSED");
    }

    /// <summary>The account's open orders on the symbol, as the exchange lists them (with what each has executed).</summary>
    public async Task<IReadOnlyList<JsonElement>> OpenOrdersAsync(BotIdentity bot, string symbol, bool fresh, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            _cache.TryRemove(("open", bot.Account, symbol), out _);
        }

        var open = await GetAsync("open", bot.Account, bot, UsdmPaths.OpenOrders, symbol, OpenOrdersAge, cancellationToken).ConfigureAwait(false);
        return open.ValueKind == JsonValueKind.Array ? [.. open.EnumerateArray()] : [];
    }

    /// <summary>A leverage or margin type change went through: the next order looks again.</summary>
    public void SettingsChanged(ExchangeAccount account, string symbol) => _cache.TryRemove(("settings", account, symbol), out _);

    private async Task<JsonElement> GetAsync(string kind, ExchangeAccount account, BotIdentity bot, string path, string symbol, TimeSpan age, CancellationToken cancellationToken)
    {
        var key = (kind, account, symbol);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var entry) && entry.Expires > now && !entry.Value.IsFaulted && !entry.Value.IsCanceled)
        {
            return await entry.Value.ConfigureAwait(false);
        }

        // The bot that needs a fresh value pays for it; concurrent askers share the one call (so one asker
        // leaving does not cancel it for the others).
        var fetch = upstream.SendAsync(account, bot.Name, HttpMethod.Get, path, "symbol=" + symbol, CancellationToken.None);
        _cache[key] = (now + age, fetch);
        try
        {
            return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _cache.TryRemove(new KeyValuePair<(string, ExchangeAccount, string), (DateTimeOffset, Task<JsonElement>)>(key, (now + age, fetch)));
            throw;
        }
    }
}
