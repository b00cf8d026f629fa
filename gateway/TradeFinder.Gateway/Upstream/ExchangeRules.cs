using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// exchangeInfo of each upstream (symbols, status, filters), loaded before the gateway serves and refreshed
/// every few minutes, so parameters are checked against the venue the bot will actually reach.
/// </summary>
internal sealed class ExchangeRules(
    UpstreamDirectory upstreams, IHttpClientFactory httpClients, TimeProvider time, ILogger<ExchangeRules> logger,
    UpstreamBackoff? backoff = null, ExchangeBudgets? budgets = null) : BackgroundService
{
    public const string HttpClientName = "upstream-rules";
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<TradingMode, IReadOnlyDictionary<string, SymbolRules>> _rules = new();

    public bool TryGet(TradingMode mode, string symbol, out SymbolRules rules)
    {
        rules = null!;
        return _rules.TryGetValue(mode, out var symbols) && symbols.TryGetValue(symbol, out rules!);
    }

    public bool IsLoaded(TradingMode mode) => _rules.ContainsKey(mode);

    /// <summary>Whether this gateway has an upstream for the mode at all (a bot's mode may be one it does not serve).</summary>
    public bool Serves(TradingMode mode) => upstreams.Upstreams.ContainsKey(mode);

    /// <summary>Installs rules directly (tests, and benchmarks without an upstream).</summary>
    internal void Set(TradingMode mode, IReadOnlyDictionary<string, SymbolRules> rules) => _rules[mode] = rules;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Retry soon while some upstream has no rules yet (e.g. it was banning us at start).
                var missing = upstreams.Upstreams.Keys.Any(m => !IsLoaded(m));
                await Task.Delay(missing ? TimeSpan.FromSeconds(10) : Refresh, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await LoadAllAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        foreach (var (mode, baseAddress) in upstreams.Upstreams)
        {
            if (backoff?.Remaining(mode) > TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                var client = httpClients.CreateClient(HttpClientName);
                await using var body = await client.GetStreamAsync(new Uri(baseAddress, UsdmPaths.ExchangeInfo), cancellationToken).ConfigureAwait(false);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                _rules[mode] = Parse(json.RootElement);
                budgets?.SetLimits(mode, ExchangeLimits.Parse(json.RootElement));
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or KeyNotFoundException or FormatException)
            {
                UpstreamLog.ExchangeRulesFailed(logger, mode.ToConfigValue(), ex.GetType().Name);
            }
        }
    }

    internal static Dictionary<string, SymbolRules> Parse(JsonElement info)
    {
        var result = new Dictionary<string, SymbolRules>(StringComparer.Ordinal);
        foreach (var symbol in info.GetProperty("symbols").EnumerateArray())
        {
            var filters = symbol.GetProperty("filters").EnumerateArray().ToDictionary(f => f.GetProperty("filterType").GetString()!, f => f);
            decimal D(string filter, string field) =>
                filters.TryGetValue(filter, out var f) && f.TryGetProperty(field, out var v) ? decimal.Parse(v.GetString()!, CultureInfo.InvariantCulture) : 0;
            var name = symbol.GetProperty("symbol").GetString()!;
            result[name] = new SymbolRules(
                name, symbol.GetProperty("status").GetString()!,
                D("PRICE_FILTER", "minPrice"), D("PRICE_FILTER", "maxPrice"), D("PRICE_FILTER", "tickSize"),
                D("LOT_SIZE", "minQty"), D("LOT_SIZE", "maxQty"), D("LOT_SIZE", "stepSize"),
                D("MARKET_LOT_SIZE", "minQty"), D("MARKET_LOT_SIZE", "maxQty"), D("MARKET_LOT_SIZE", "stepSize"),
                D("MIN_NOTIONAL", "notional"),
                symbol.GetProperty("orderTypes").EnumerateArray().Select(t => t.GetString()!).ToHashSet(StringComparer.Ordinal));
        }

        return result;
    }
}
