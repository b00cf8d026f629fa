using System.Text.Json;
using TradeFinder.Gateway.Logging;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The part of the exchange's answer to an order call that traces it: ids and status for each order ("New Order",
/// "New Algo Order", "Cancel Order" and the batch forms in the USDⓈ-M Futures API documentation return objects or
/// arrays of them), or the error code and message an element was refused with.
/// </summary>
internal static class OrderAnswer
{
    private static readonly string[] Kept = ["orderId", "clientOrderId", "algoId", "clientAlgoId", "status", "algoStatus", "symbol", "code", "msg"];
    private const int MaxElements = 20;

    /// <summary>The traced fields, or null when the body is not JSON (e.g. compressed).</summary>
    public static List<Dictionary<string, object?>>? Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var json = JsonDocument.ParseValue(ref reader);
            var root = json.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.Object => [Pick(root)],
                JsonValueKind.Array => [.. root.EnumerateArray().Take(MaxElements).Select(Pick)],
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> Pick(JsonElement element)
    {
        var picked = new Dictionary<string, object?>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return picked;
        }

        foreach (var name in Kept)
        {
            if (element.TryGetProperty(name, out var value))
            {
                picked[name] = value.ValueKind switch
                {
                    JsonValueKind.Number when value.TryGetInt64(out var n) => n,
                    JsonValueKind.String => Redactor.Redact(value.GetString()),
                    _ => Redactor.Redact(value.GetRawText()),
                };
            }
        }

        return picked;
    }
}
