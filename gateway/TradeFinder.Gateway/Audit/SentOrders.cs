using System.Text.Json;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// An order a <c>sent</c> record says was handed to the exchange: the bot, its mode, the symbol and the client id the
/// exchange knows it by; and the bot's own id where the exchange's does not carry it (mapped), else null.
/// </summary>
internal sealed record SentOrder(string Bot, string? Mode, string Symbol, string ClientId, bool Algo, string? BotClientId = null);

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
            var botIds = root.TryGetProperty("botClientIds", out var b) && b.ValueKind == JsonValueKind.Array && b.GetArrayLength() == clientIds.GetArrayLength()
                ? b.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.String ? id.GetString() : null).ToArray()
                : null;
            return [.. clientIds.EnumerateArray().Zip(symbols.EnumerateArray()).Select((pair, i) => (pair.First, pair.Second, BotId: botIds?[i]))
                .Where(o => o.First.ValueKind == JsonValueKind.String && o.Second.ValueKind == JsonValueKind.String)
                .Select(o => new SentOrder(bot, mode, o.Second.GetString()!, o.First.GetString()!, algo, Mapped(o.First.GetString()!, o.BotId)))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    // The bot's id where the exchange's does not end with it (a carried one is read back from the exchange's id itself).
    private static string? Mapped(string clientId, string? botId) => botId is not null && !clientId.EndsWith(botId, StringComparison.Ordinal) ? botId : null;
}
