using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Validation;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Resilience;

/// <summary>An order POST in flight, and what made its outcome uncertain (if anything).</summary>
internal sealed class OrderInFlightFeature(string symbol, string clientOrderId, bool algo)
{
    public string Symbol { get; } = symbol;

    public string ClientOrderId { get; } = clientOrderId;

    /// <summary>A conditional order (<c>/fapi/v1/algoOrder</c>, identified by <c>clientAlgoId</c>).</summary>
    public bool Algo { get; } = algo;

    /// <summary>Set when the exchange answered with a status that does not say whether the order exists.</summary>
    public (int Status, int? Code, byte[] Body)? Uncertain { get; set; }
}

/// <summary>
/// No duplicate orders: an order POST (plain or conditional) is never sent twice. When its outcome is unknown — the call timed out,
/// the connection dropped, or the exchange answered 5xx, -1007 (execution status unknown) or -1008 — the
/// gateway looks the order up by its client order id (every order has one; the ledger assigns it when the
/// bot did not) and tells the bot what really happened: the order as the exchange holds it, or that it was
/// not placed and may safely be sent again.
/// </summary>
internal sealed class OrderOutcomeMiddleware(RequestDelegate next, UpstreamQueries queries, TimeProvider time, ILogger<OrderOutcomeMiddleware> logger)
{
    private static readonly TimeSpan[] LookupDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)];

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.Features.GetRequiredFeature<Contracts.Exchange.UsdmEndpoint>();
        if (endpoint is not { Method: "POST", Path: "/fapi/v1/order" or "/fapi/v1/algoOrder" })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var algo = endpoint.Path == "/fapi/v1/algoOrder";
        var request = context.Features.GetRequiredFeature<GatewayRequest>();
        var clientOrderId = request[algo ? "clientAlgoId" : "newClientOrderId"] ?? context.Features.Get<ExtraParameterFeature>()?.Value;
        var symbol = request["symbol"];
        if (clientOrderId is null || symbol is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var order = new OrderInFlightFeature(symbol, clientOrderId, algo);
        context.Features.Set(order);
        await next(context).ConfigureAwait(false);

        var forwarderError = context.GetForwarderErrorFeature();
        if (context.Response.HasStarted || (forwarderError is null && order.Uncertain is null))
        {
            return;
        }

        var cause = order.Uncertain is { } u ? $"HTTP {u.Status}{(u.Code is { } c ? " code " + c : "")}" : "no answer: " + forwarderError!.Error;
        var bot = context.Features.GetRequiredFeature<BotIdentity>();
        var (found, body) = await LookUpAsync(bot.Mode, order, context.RequestAborted).ConfigureAwait(false);

        // This answer replaces the forwarder's error: nothing outside may write a second one.
        context.Features.Set<IForwarderErrorFeature?>(null);
        context.Response.Clear();
        context.Response.Headers["X-TradeFinder-Order-Lookup"] = found switch { true => "found", false => "not-found", _ => "failed" };
        switch (found)
        {
            case true:
                GatewayLog.OrderOutcomeResolved(logger, bot.Name, clientOrderId, cause, "placed");
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(body!);
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
                break;
            case false:
                GatewayLog.OrderOutcomeResolved(logger, bot.Name, clientOrderId, cause, "not placed");
                await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.Disconnected,
                    $"Order {clientOrderId} was not placed ({cause}; confirmed by looking it up). It is safe to send it again.").ConfigureAwait(false);
                break;
            default:
                GatewayLog.OrderOutcomeResolved(logger, bot.Name, clientOrderId, cause, "unknown");
                await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ExchangeErrorCodes.UnknownExecutionStatus,
                    $"Execution status of order {clientOrderId} is unknown ({cause}) and the lookup failed; query origClientOrderId={clientOrderId} before sending it again.").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>True with the order's JSON when the exchange has it; false when it says there is no such order; null when it cannot tell.</summary>
    private async Task<(bool? Found, string? Body)> LookUpAsync(TradingMode mode, OrderInFlightFeature order, CancellationToken cancellationToken)
    {
        var (path, query, idField) = order.Algo
            ? ("/fapi/v1/algoOrder", $"clientAlgoId={Uri.EscapeDataString(order.ClientOrderId)}", "algoId")
            : ("/fapi/v1/order", $"symbol={Uri.EscapeDataString(order.Symbol)}&origClientOrderId={Uri.EscapeDataString(order.ClientOrderId)}", "orderId");
        bool? found = null;
        foreach (var delay in LookupDelays)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            try
            {
                var json = await queries.SendAsync(mode, HttpMethod.Get, path, query, cancellationToken).ConfigureAwait(false);
                if (json.TryGetProperty(idField, out _))
                {
                    return (true, json.GetRawText());
                }

                // "Order does not exist" may only mean the matching engine has not got to it yet: ask again.
                found = json.TryGetProperty("code", out var code) && code.GetInt32() == ExchangeErrorCodes.NoSuchOrder ? false : found;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                found = null;
            }
        }

        return (found, null);
    }
}

/// <summary>Reads the answers of order POSTs that do not settle whether the order exists, and keeps them from the bot.</summary>
internal static class OrderOutcomeTransform
{
    public static void AddOrderOutcome(this TransformBuilderContext context) => context.AddResponseTransform(async transform =>
    {
        var http = transform.HttpContext;
        if (http.Features.Get<OrderInFlightFeature>() is not { } order
            || transform.ProxyResponse is not { } response
            || (int)response.StatusCode is < 400 or 429 or 418)
        {
            return;
        }

        var body = await response.Content.ReadAsByteArrayAsync(http.RequestAborted).ConfigureAwait(false);
        int? code = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            code = json.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
        }

        transform.SuppressResponseBody = true;
        if ((int)response.StatusCode >= 500 || code is ExchangeErrorCodes.UnknownExecutionStatus or ExchangeErrorCodes.Overloaded)
        {
            order.Uncertain = ((int)response.StatusCode, code, body);
            return;
        }

        // A definite rejection: pass the exchange's answer on unchanged.
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    });
}
