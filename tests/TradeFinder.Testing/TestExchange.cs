using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Testing;

/// <summary>
/// A standalone paper exchange playing the testnet or live exchange for a gateway under test (through the
/// loopback upstream override), accepting exactly the given keys.
/// </summary>
public static class TestExchange
{
    // Key tests load the gateway for as long as a rotation takes, which on a busy machine is long enough to meet
    // the default order limits (and the per-bot share the gateway derives from them): lift them here.
    private static readonly RateLimitSettings Unlimited = new() { WeightPerMinute = 1_000_000, OrdersPer10Seconds = 1_000_000, OrdersPerMinute = 6_000_000 };

    public static Task<PaperExchangeServer> StartAsync(params PaperCredential[] keys) => StartAsync(Unlimited, keys);

    /// <summary>A simulator enforcing <paramref name="limits"/> as the exchange would (429, then 418), for budget tests.</summary>
    public static Task<PaperExchangeServer> StartAsync(RateLimitSettings limits, params PaperCredential[] keys) => PaperExchangeServer.StartAsync(new PaperExchangeSettings
    {
        Credentials = keys,
        JournalEnabled = true,
        Quiet = true,
        Limits = limits,
    }, TimeProvider.System);

    /// <summary>Gateway settings for <paramref name="mode"/> with keys from secret files in <paramref name="keysDir"/>, upstream <paramref name="exchange"/>.</summary>
    public static Dictionary<string, string?> FileKeySettings(string keysDir, PaperExchangeServer exchange, string mode = "testnet") => new()
    {
        ["TRADING_MODE"] = mode,
        ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
        ["Gateway:Keys:Provider"] = "files",
        ["Gateway:Keys:Directory"] = keysDir,
        ["Gateway:Keys:RefreshSeconds"] = "1",
    };

    /// <summary>
    /// The API key the exchange saw on a signed read (<c>GET /fapi/v2/balance</c>) sent through <paramref name="bot"/>'s
    /// gateway: which key that gateway signs with now. When the read never reached the exchange, what the gateway
    /// answered instead (never equal to a key), for the failure message.
    /// </summary>
    public static string? KeySignedThrough(this PaperExchangeServer exchange, HttpClient bot)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(bot);
        exchange.Journal.Clear();
        using var response = bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative)).GetAwaiter().GetResult();
        return exchange.Journal.Entries.LastOrDefault(e => e.Path == "/fapi/v2/balance")?.ApiKeyHeader
            ?? $"(not at the exchange; the gateway answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()})";
    }
}
