using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Scopes;

internal static class OrderIntents
{
    public static OrderIntent Of(UsdmEndpoint endpoint, GatewayRequest request)
    {
        if (endpoint.Scope is ScopeNames.TradeLeverage or ScopeNames.TradeMargin)
        {
            return OrderIntent.AccountChange;
        }

        if (endpoint.Scope != ScopeNames.Trade)
        {
            return OrderIntent.Read;
        }

        return (endpoint.Method, endpoint.Path) switch
        {
            ("DELETE", _) or ("POST", "/fapi/v1/countdownCancelAll") => OrderIntent.Cancel,
            ("POST", "/fapi/v1/batchOrders") => Batch(request["batchOrders"]),
            _ => IsReducing(request.Get) ? OrderIntent.Reduce : OrderIntent.Increase,
        };
    }

    /// <summary>
    /// reduceOnly or closePosition, or hedge-mode closing sides (LONG+SELL, SHORT+BUY): the exchange's own
    /// list of risk-reducing orders (reference §4, -1008 exemption).
    /// </summary>
    public static bool IsReducing(Func<string, string?> p) =>
        string.Equals(p("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(p("closePosition"), "true", StringComparison.OrdinalIgnoreCase)
        || (p("positionSide"), p("side")) is ("LONG", "SELL") or ("SHORT", "BUY");

    private static OrderIntent Batch(string? json)
    {
        try
        {
            var items = JsonSerializer.Deserialize<Dictionary<string, JsonElement>[]>(json ?? "[]") ?? [];
            return items.Length > 0 && items.All(i => IsReducing(n => i.TryGetValue(n, out var v) ? v.ToString() : null)) ? OrderIntent.Reduce : OrderIntent.Increase;
        }
        catch (JsonException)
        {
            return OrderIntent.Increase;
        }
    }
}
