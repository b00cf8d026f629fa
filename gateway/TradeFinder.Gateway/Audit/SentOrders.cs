using System.Text.Json;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Audit;

/// <summary>An order a <c>sent</c> record says was handed to the exchange: the bot, its mode, the symbol and the client id the exchange knows it by.</summary>
internal sealed record SentOrder(string Bot, string? Mode, string Symbol, string ClientId, bool Algo);

/// <summary>
/// Reads back the orders a <c>sent</c> record (<see cref="TrafficAuditMiddleware.DescribeSent"/>) placed: a new order, an
/// algo order, or each order of a batch, from its client ids and their symbols. Other trade requests (cancels,
/// amendments, leverage) placed nothing and read as none; so does a record this version cannot read.
/// </summary>
internal static class SentOrders
{
    public static IReadOnlyList<SentOrder> Read(AuditEvent record)
    {
        if (record.Type != AuditEventTypes.Sent || record.Bot is not { } bot || record.Endpoint?.Split(' ', 2) is not [var method, var path]
            || UsdmEndpoints.Find(method, path) is not { Method: "POST", Path: UsdmPaths.Order or UsdmPaths.AlgoOrder or UsdmPaths.BatchOrders } endpoint)
        {
            return [];
        }

        try
        {
            using var details = JsonDocument.Parse(record.Details);
            var root = details.RootElement;
            if (!root.TryGetProperty("clientIds", out var clientIds) || !root.TryGetProperty("symbols", out var symbols)
                || clientIds.ValueKind != JsonValueKind.Array || symbols.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var mode = root.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var algo = endpoint.Path == UsdmPaths.AlgoOrder;
            return [.. clientIds.EnumerateArray().Zip(symbols.EnumerateArray())
                .Where(pair => pair.First.ValueKind == JsonValueKind.String && pair.Second.ValueKind == JsonValueKind.String)
                .Select(pair => new SentOrder(bot, mode, pair.Second.GetString()!, pair.First.GetString()!, algo))];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
