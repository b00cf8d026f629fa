using System.Collections.Concurrent;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Resilience;
using TradeFinder.Gateway.Signing;

namespace TradeFinder.Gateway.MarketData;

/// <summary>
/// Public market data that many bots ask for at once (depth, klines, tickers, exchangeInfo, premiumIndex):
/// identical concurrent requests share one upstream call, and a successful answer is reused for a short
/// per-endpoint TTL. Only that one call is charged to the shared weight budget — the weight this saves is
/// what keeps orders and cancels possible when many bots poll the same book.
/// </summary>
internal sealed class MarketDataCache(
    UpstreamDirectory upstreams, IHttpClientFactory httpClients, ExchangeBudgets budgets, UpstreamBackoff backoff, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<BudgetOptions> options)
{
    public const string HttpClientName = "upstream-market";
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(TradingMode, string), Entry> _entries = new();

    /// <summary>
    /// The answer to a shared market-data request: a fresh cached one, a fetch in flight, or a new fetch. A new fetch is
    /// charged to <paramref name="bot"/>'s weight quota (over quota: a local 429 for that bot only) and to the shared budget.
    /// </summary>
    public Task<CachedResponse> GetAsync(TradingMode mode, UsdmEndpoint endpoint, string rawQuery, int weight, string? bot = null)
    {
        var query = RequestSigner.Strip(rawQuery);
        var key = (mode, endpoint.Path + "?" + query);
        var now = time.GetUtcNow();

        // A hit (or a fetch in flight) is the cache's whole point: answered without a state machine or a budget check.
        return _entries.TryGetValue(key, out var existing) && (!existing.Task.IsCompleted || existing.ExpiresAt > now)
            ? existing.Task
            : FetchOrJoinAsync(mode, endpoint, query, key, weight, bot, now);
    }

    private async Task<CachedResponse> FetchOrJoinAsync(TradingMode mode, UsdmEndpoint endpoint, string query, (TradingMode, string) key, int weight, string? bot, DateTimeOffset now)
    {
        var charged = bot is null;
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing) && (!existing.Task.IsCompleted || existing.ExpiresAt > now))
            {
                return await existing.Task.ConfigureAwait(false);
            }

            if (!charged)
            {
                var quota = await budgets.TryChargeAsync(mode, bot, RequestPriority.MarketData, weight, 0, chargeGlobal: false).ConfigureAwait(false);
                if (!quota.Allowed)
                {
                    return Local(429, ExchangeErrorCodes.TooManyRequests, $"Too many requests: {quota.Reason}.", quota.RetryAfter);
                }

                charged = true;
            }

            var entry = new Entry();
            var added = existing is null ? _entries.TryAdd(key, entry) : _entries.TryUpdate(key, entry, existing);
            if (!added)
            {
                continue; // another request started the fetch first: share it
            }

            if (_entries.Count > MaxEntries)
            {
                Prune(now);
            }

            _ = CompleteAsync(entry, mode, endpoint, query, weight);
            return await entry.Task.ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync(Entry entry, TradingMode mode, UsdmEndpoint endpoint, string query, int weight)
    {
        try
        {
            entry.Complete(await FetchAsync(mode, endpoint, query, weight, entry).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            entry.Fail(ex); // waiters see the failure instead of waiting forever
            throw;
        }
    }

    private async Task<CachedResponse> FetchAsync(TradingMode mode, UsdmEndpoint endpoint, string query, int weight, Entry entry)
    {
        try
        {
            if (backoff.Remaining(mode) > TimeSpan.Zero)
            {
                return Local(429, ExchangeErrorCodes.TooManyRequests, "Too many requests; the exchange asked this gateway to back off.", backoff.Remaining(mode));
            }

            var decision = await budgets.TryChargeAsync(mode, null, RequestPriority.MarketData, weight, 0).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                return Local(429, ExchangeErrorCodes.TooManyRequests, $"Too many requests: {decision.Reason}.", decision.RetryAfter);
            }

            var target = SigningTransform.Target(upstreams.Upstreams[mode].GetLeftPart(UriPartial.Authority), endpoint.Path, query);
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            request.Headers.TryAddWithoutValidation("User-Agent", SigningTransform.UserAgent);
            request.Options.Set(UpstreamResilience.RouteOption, (mode, RouteClass.MarketData));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request).ConfigureAwait(false);
            budgets.Observe(mode, response.Headers);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
            if (status is 429 or 418)
            {
                backoff.Record(mode, status, retryAfter, System.Text.Encoding.UTF8.GetString(body));
            }

            if (status == 200)
            {
                entry.ExpiresAt = time.GetUtcNow() + SharedMarketData.TimeToLive(endpoint, options.Value);
            }

            return new CachedResponse(status, response.Content.Headers.ContentType?.ToString(), body, retryAfter);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Local(503, Contracts.Errors.ExchangeErrorCodes.Disconnected, "Internal error; unable to process your request. Please try again.", null);
        }
    }

    private static CachedResponse Local(int status, int code, string message, TimeSpan? retryAfter) => new(
        status, "application/json",
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Contracts.Errors.ExchangeError(code, message), ContractsJson.Default.ExchangeError),
        retryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Task.IsCompleted && entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<(TradingMode, string), Entry>(key, entry));
            }
        }
    }

    private sealed class Entry
    {
        // Published before the fetch starts, so every request that finds the entry has something to wait on.
        private readonly TaskCompletionSource<CachedResponse> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CachedResponse> Task => _answer.Task;

        public void Complete(CachedResponse response) => _answer.TrySetResult(response);

        public void Fail(Exception exception) => _answer.TrySetException(exception);

        /// <summary>Until the fetch completes, and for failed answers, nothing is reused beyond the requests already waiting.</summary>
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MinValue;
    }
}
