using TradeFinder.Bots.Client.Models;

namespace TradeFinder.Bots.Client;

/// <summary>
/// A keyless, typed client for the USDⓈ-M paths the gateway serves. Every method may throw a
/// <see cref="GatewayApiException"/> subclass: <see cref="GatewayRateLimitedException"/> (429/418),
/// <see cref="GatewayForbiddenException"/> (scope, limits, trading state), <see cref="GatewayRejectedException"/>
/// (invalid or rejected) or <see cref="GatewayUnavailableException"/> (exchange failing).
/// </summary>
public interface IGatewayClient
{
    /// <summary>Checks connectivity, <c>GET /fapi/v1/ping</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the gateway and its upstream answered.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>The exchange's clock, <c>GET /fapi/v1/time</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server time.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<ServerTime> GetServerTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>Symbols and trading rules, <c>GET /fapi/v1/exchangeInfo</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rules.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<ExchangeInfo> GetExchangeInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>The order book, <c>GET /fapi/v1/depth</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="limit">Levels per side (5, 10, 20, 50, 100, 500, 1000).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Bids and asks, best first.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<OrderBook> GetOrderBookAsync(string symbol, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Candles, <c>GET /fapi/v1/klines</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="interval">1m, 5m, 1h, …</param>
    /// <param name="limit">How many (1 to 1500).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Candles, oldest first.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<Kline>> GetKlinesAsync(string symbol, string interval, int limit = 500, CancellationToken cancellationToken = default);

    /// <summary>Mark price and funding, <c>GET /fapi/v1/premiumIndex</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The mark price.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<MarkPrice> GetMarkPriceAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>Last price, <c>GET /fapi/v1/ticker/price</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The last price.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<TickerPrice> GetTickerPriceAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>24-hour statistics, <c>GET /fapi/v1/ticker/24hr</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<Ticker24h> GetTicker24hAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>The futures account, <c>GET /fapi/v2/account</c>; the gateway signs it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Balances and totals.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<AccountInformation> GetAccountAsync(CancellationToken cancellationToken = default);

    /// <summary>Balances per asset, <c>GET /fapi/v2/balance</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The balances.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<Balance>> GetBalancesAsync(CancellationToken cancellationToken = default);

    /// <summary>Positions, <c>GET /fapi/v2/positionRisk</c>.</summary>
    /// <param name="symbol">One symbol, or all when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Positions (one per side in hedge mode).</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<Position>> GetPositionsAsync(string? symbol = null, CancellationToken cancellationToken = default);

    /// <summary>Places an order, <c>POST /fapi/v1/order</c>. Sent once, always with a client order id; if the outcome is unknown it is looked up, never re-sent.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order as the exchange holds it.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    /// <exception cref="OrderOutcomeUnknownException">Neither the gateway nor the client could establish whether it exists.</exception>
    Task<Order> PlaceOrderAsync(NewOrder order, CancellationToken cancellationToken = default);

    /// <summary>Places up to 5 orders at once, <c>POST /fapi/v1/batchOrders</c>.</summary>
    /// <param name="orders">The orders.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per order, in order: placed, or the exchange's error for it.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<BatchOrderResult>> PlaceBatchOrdersAsync(IReadOnlyList<NewOrder> orders, CancellationToken cancellationToken = default);

    /// <summary>One order by client order id, <c>GET /fapi/v1/order</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="clientOrderId">Its client order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<Order> GetOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default);

    /// <summary>Open orders, <c>GET /fapi/v1/openOrders</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open orders.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<Order>> GetOpenOrdersAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>Cancels an order, <c>DELETE /fapi/v1/order</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="clientOrderId">Its client order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canceled order.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<Order> CancelOrderAsync(string symbol, string clientOrderId, CancellationToken cancellationToken = default);

    /// <summary>Cancels every open order of a symbol, <c>DELETE /fapi/v1/allOpenOrders</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when they are canceled.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task CancelAllOrdersAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>Places a conditional order (stop, take-profit, trailing stop), <c>POST /fapi/v1/algoOrder</c>.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The conditional order.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<AlgoOrder> PlaceAlgoOrderAsync(NewAlgoOrder order, CancellationToken cancellationToken = default);

    /// <summary>One conditional order, <c>GET /fapi/v1/algoOrder</c>.</summary>
    /// <param name="clientAlgoId">Its client id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The conditional order.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<AlgoOrder> GetAlgoOrderAsync(string clientAlgoId, CancellationToken cancellationToken = default);

    /// <summary>Open conditional orders, <c>GET /fapi/v1/openAlgoOrders</c>.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open conditional orders.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<IReadOnlyList<AlgoOrder>> GetOpenAlgoOrdersAsync(string symbol, CancellationToken cancellationToken = default);

    /// <summary>Cancels a conditional order, <c>DELETE /fapi/v1/algoOrder</c>.</summary>
    /// <param name="clientAlgoId">Its client id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is canceled.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task CancelAlgoOrderAsync(string clientAlgoId, CancellationToken cancellationToken = default);

    /// <summary>Sets leverage, <c>POST /fapi/v1/leverage</c> (scope <c>trade:leverage</c>).</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="leverage">1 to 125, within the bot's limit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new leverage.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<LeverageChange> SetLeverageAsync(string symbol, int leverage, CancellationToken cancellationToken = default);

    /// <summary>Sets the margin type, <c>POST /fapi/v1/marginType</c> (scope <c>trade:margin</c>).</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <param name="marginType">ISOLATED or CROSSED.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when it already was that type.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<bool> SetMarginTypeAsync(string symbol, MarginType marginType, CancellationToken cancellationToken = default);

    /// <summary>Whether the account is in hedge mode, <c>GET /fapi/v1/positionSide/dual</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True in hedge mode, false in one-way mode.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<bool> GetHedgeModeAsync(CancellationToken cancellationToken = default);

    /// <summary>Switches hedge / one-way mode, <c>POST /fapi/v1/positionSide/dual</c> (scope <c>trade:margin</c>).</summary>
    /// <param name="hedgeMode">True for hedge mode.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when it already was in that mode.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<bool> SetHedgeModeAsync(bool hedgeMode, CancellationToken cancellationToken = default);
}
