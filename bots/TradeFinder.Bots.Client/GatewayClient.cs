using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TradeFinder.Bots.Client.Models;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Bots.Client;

/// <summary>
/// The default <see cref="IGatewayClient"/>: plain exchange paths over an mTLS <see cref="HttpClient"/>
/// (see <see cref="GatewayHttpHandler"/>). It never adds keys, timestamps or signatures. Reads that are told
/// to wait (429/503 with Retry-After) wait and try again; orders are sent once, always with a client order id,
/// and an uncertain outcome is settled by looking the order up.
/// </summary>
public sealed class GatewayClient : IGatewayClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private readonly HttpClient _http;
    private readonly GatewayClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handler presents the bot's certificate.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is the gateway.</param>
    /// <param name="options">Retry and id settings; defaults when null.</param>
    /// <param name="time">Clock for Retry-After waits; the system clock when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> is null.</exception>
    public GatewayClient(HttpClient http, IOptions<GatewayClientOptions>? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _options = options?.Value ?? new GatewayClientOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken = default) => GetAsync<JsonElement>("fapi/v1/ping", cancellationToken);

    /// <inheritdoc />
    public Task<ServerTime> GetServerTimeAsync(CancellationToken cancellationToken = default) => GetAsync<ServerTime>("fapi/v1/time", cancellationToken);

    /// <inheritdoc />
    public Task<ExchangeInfo> GetExchangeInfoAsync(CancellationToken cancellationToken = default) => GetAsync<ExchangeInfo>("fapi/v1/exchangeInfo", cancellationToken);

    /// <inheritdoc />
    public Task<OrderBook> GetOrderBookAsync(string symbol, int limit = 100, CancellationToken cancellationToken = default) =>
        GetAsync<OrderBook>(Path("fapi/v1/depth", ("symbol", symbol), ("limit", I(limit))), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Kline>> GetKlinesAsync(string symbol, string interval, int limit = 500, CancellationToken cancellationToken = default)
    {
        var rows = await GetAsync<JsonElement>(Path("fapi/v1/klines", ("symbol", symbol), ("interval", interval), ("limit", I(limit))), cancellationToken).ConfigureAwait(false);
        return rows.EnumerateArray().Select(Kline.Parse).ToArray();
    }

    /// <inheritdoc />
    public Task<MarkPrice> GetMarkPriceAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetAsync<MarkPrice>(Path("fapi/v1/premiumIndex", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public Task<TickerPrice> GetTickerPriceAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetAsync<TickerPrice>(Path("fapi/v1/ticker/price", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public Task<Ticker24h> GetTicker24hAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetAsync<Ticker24h>(Path("fapi/v1/ticker/24hr", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public Task<AccountInformation> GetAccountAsync(CancellationToken cancellationToken = default) => GetAsync<AccountInformation>("fapi/v2/account", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default) => GetAsync<IReadOnlyList<Balance>>("fapi/v2/balance", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Position>> GetPositionsAsync(string? symbol = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Position>>(symbol is null ? "fapi/v2/positionRisk" : Path("fapi/v2/positionRisk", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public async Task<Order> PlaceOrderAsync(NewOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var clientOrderId = order.ClientOrderId ?? NewClientId();
        try
        {
            return await SendAsync<Order>(HttpMethod.Post, "fapi/v1/order", order.Parameters(clientOrderId), cancellationToken, clientOrderId).ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own timeout: the order may or may not exist. Find out instead of sending it again.
            return await ResolveAsync(order.Symbol, clientOrderId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BatchOrderResult>> PlaceBatchOrdersAsync(IReadOnlyList<NewOrder> orders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var batch = orders.Select(o => o.Parameters(o.ClientOrderId ?? NewClientId()).ToDictionary(p => p.Key, p => p.Value)).ToArray();
        var answers = await SendAsync<JsonElement>(HttpMethod.Post, "fapi/v1/batchOrders",
            [new("batchOrders", JsonSerializer.Serialize(batch))], cancellationToken).ConfigureAwait(false);
        return answers.EnumerateArray().Select(a => a.TryGetProperty("orderId", out _)
            ? new BatchOrderResult(a.Deserialize<Order>(Json), null)
            : new BatchOrderResult(null, a.Deserialize<ExchangeError>(Json))).ToArray();
    }

    /// <inheritdoc />
    public Task<Order> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) =>
        GetAsync<Order>(Path("fapi/v1/order", ("symbol", symbol), ("origClientOrderId", clientOrderId)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Order>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<Order>>(Path("fapi/v1/openOrders", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public Task<Order> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(HttpMethod.Delete, "fapi/v1/order", [new("symbol", symbol), new("origClientOrderId", clientOrderId)], cancellationToken);

    /// <inheritdoc />
    public Task CancelAllOrdersAsync(string symbol, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, "fapi/v1/allOpenOrders", [new("symbol", symbol)], cancellationToken);

    /// <inheritdoc />
    public Task<AlgoOrder> PlaceAlgoOrderAsync(NewAlgoOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var clientAlgoId = order.ClientAlgoId ?? NewClientId();
        return SendAsync<AlgoOrder>(HttpMethod.Post, "fapi/v1/algoOrder", order.Parameters(clientAlgoId), cancellationToken, clientAlgoId);
    }

    /// <inheritdoc />
    public Task<AlgoOrder> GetAlgoOrderAsync(string clientAlgoId, CancellationToken cancellationToken = default) =>
        GetAsync<AlgoOrder>(Path("fapi/v1/algoOrder", ("clientAlgoId", clientAlgoId)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlgoOrder>> GetOpenAlgoOrdersAsync(string symbol, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<AlgoOrder>>(Path("fapi/v1/openAlgoOrders", ("symbol", symbol)), cancellationToken);

    /// <inheritdoc />
    public Task CancelAlgoOrderAsync(string clientAlgoId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(HttpMethod.Delete, "fapi/v1/algoOrder", [new("clientAlgoId", clientAlgoId)], cancellationToken);

    /// <inheritdoc />
    public Task<LeverageChange> SetLeverageAsync(string symbol, int leverage, CancellationToken cancellationToken = default) =>
        SendAsync<LeverageChange>(HttpMethod.Post, "fapi/v1/leverage", [new("symbol", symbol), new("leverage", I(leverage))], cancellationToken);

    /// <inheritdoc />
    public async Task<bool> SetMarginTypeAsync(string symbol, MarginType marginType, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync<JsonElement>(HttpMethod.Post, "fapi/v1/marginType", [new("symbol", symbol), new("marginType", ExchangeNames.Of(marginType))], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GatewayRejectedException ex) when (ex.Code == -4046)
        {
            return false; // "No need to change margin type."
        }
    }

    /// <inheritdoc />
    public async Task<bool> GetHedgeModeAsync(CancellationToken cancellationToken = default) =>
        (await GetAsync<JsonElement>("fapi/v1/positionSide/dual", cancellationToken).ConfigureAwait(false)).GetProperty("dualSidePosition").GetBoolean();

    /// <inheritdoc />
    public async Task<bool> SetHedgeModeAsync(bool hedgeMode, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync<JsonElement>(HttpMethod.Post, "fapi/v1/positionSide/dual", [new("dualSidePosition", hedgeMode ? "true" : "false")], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GatewayRejectedException ex) when (ex.Code == -4059)
        {
            return false; // "No need to change position side."
        }
    }

    private async Task<Order> ResolveAsync(string symbol, string clientOrderId, CancellationToken cancellationToken)
    {
        try
        {
            return await GetOrderAsync(symbol, clientOrderId, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayRejectedException ex) when (ex.Code == ExchangeErrorCodes.NoSuchOrder)
        {
            throw new GatewayUnavailableException(HttpStatusCode.GatewayTimeout, ExchangeErrorCodes.Disconnected,
                $"Order {clientOrderId} timed out and was not placed; it is safe to send it again.", null);
        }
        catch (GatewayApiException ex)
        {
            throw new OrderOutcomeUnknownException(ex.StatusCode, ExchangeErrorCodes.UnknownExecutionStatus,
                $"Order {clientOrderId} timed out and could not be looked up: {ex.ExchangeMessage}", clientOrderId);
        }
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && attempt < _options.ReadRetries && retryAfter is { } wait && wait <= _options.MaxRetryWait)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await EnsureSuccessAsync(response, null, cancellationToken).ConfigureAwait(false);
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Writes go once, parameters in a form body; never retried.</summary>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken, string? clientOrderId = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(parameters) };
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, clientOrderId, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string? clientOrderId, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ExchangeError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<ExchangeError>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
        }

        var status = response.StatusCode;
        var code = error?.Code ?? 0;
        var message = error?.Message ?? response.ReasonPhrase ?? "Request failed.";
        var retryAfter = response.Headers.RetryAfter?.Delta;
        throw (int)status switch
        {
            429 or 418 => new GatewayRateLimitedException(status, code, message, retryAfter),
            401 or 403 => new GatewayForbiddenException(status, code, message),
            _ when clientOrderId is not null && code == ExchangeErrorCodes.UnknownExecutionStatus => new OrderOutcomeUnknownException(status, code, message, clientOrderId),
            >= 500 => new GatewayUnavailableException(status, code, message, retryAfter),
            _ => new GatewayRejectedException(status, code, message),
        };
    }

    private string NewClientId() => _options.ClientOrderIdPrefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Path(string path, params (string Name, string Value)[] parameters) =>
        path + "?" + string.Join("&", parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));
}
