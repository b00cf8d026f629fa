using System.Text;
using System.Text.Json;

namespace TradeFinder.Contracts.Streams;

/// <summary>The control messages a market stream connection accepts (Binance USDⓈ-M Futures "Live Subscribing/Unsubscribing to streams").</summary>
public enum MarketStreamMethod
{
    /// <summary><c>SUBSCRIBE</c> with stream names.</summary>
    Subscribe,

    /// <summary><c>UNSUBSCRIBE</c> with stream names.</summary>
    Unsubscribe,

    /// <summary><c>LIST_SUBSCRIPTIONS</c>.</summary>
    ListSubscriptions,

    /// <summary><c>SET_PROPERTY</c> <c>["combined", bool]</c>.</summary>
    SetProperty,

    /// <summary><c>GET_PROPERTY</c> <c>["combined"]</c>.</summary>
    GetProperty,
}

/// <summary>A parsed control message.</summary>
/// <param name="Method">What is asked.</param>
/// <param name="Streams">The stream names of a SUBSCRIBE/UNSUBSCRIBE.</param>
/// <param name="Combined">The value of a <c>SET_PROPERTY combined</c>.</param>
/// <param name="Id">The request id as JSON, echoed in the answer.</param>
public sealed record MarketStreamRequest(MarketStreamMethod Method, IReadOnlyList<string> Streams, bool Combined, string Id);

/// <summary>Parses control messages and writes their answers in the exchange's shapes.</summary>
public static class MarketStreamControl
{
    /// <summary>Parses one message from a client; on bad input returns null and the error answer to send.</summary>
    /// <param name="message">The UTF-8 text frame.</param>
    /// <param name="error">The exchange-shaped error when the message is not a valid request.</param>
    /// <returns>The request, or null.</returns>
    public static MarketStreamRequest? Parse(ReadOnlySpan<byte> message, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(message);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            error = Error(3, "Invalid JSON: " + ex.Message.Split('.')[0], null);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = Error(3, "Invalid JSON: expected an object", null);
                return null;
            }

            if (!root.TryGetProperty("id", out var idValue) || !(idValue.ValueKind == JsonValueKind.String || (idValue.ValueKind == JsonValueKind.Number && idValue.TryGetUInt64(out _))))
            {
                error = Error(2, "Invalid request: request ID must be an unsigned integer", null);
                return null;
            }

            var id = idValue.GetRawText();
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array ? p : default;
            switch (method)
            {
                case "SUBSCRIBE" or "UNSUBSCRIBE":
                    if (parameters.ValueKind != JsonValueKind.Array || parameters.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
                    {
                        error = Error(2, "Invalid request: params must be an array of stream names", id);
                        return null;
                    }

                    return new MarketStreamRequest(method == "SUBSCRIBE" ? MarketStreamMethod.Subscribe : MarketStreamMethod.Unsubscribe,
                        [.. parameters.EnumerateArray().Select(s => s.GetString()!)], false, id);
                case "LIST_SUBSCRIPTIONS":
                    return new MarketStreamRequest(MarketStreamMethod.ListSubscriptions, [], false, id);
                case "SET_PROPERTY" or "GET_PROPERTY":
                    if (parameters.ValueKind != JsonValueKind.Array || parameters.GetArrayLength() == 0 || parameters[0].ValueKind != JsonValueKind.String)
                    {
                        error = Error(2, "Invalid request: property name must be a string", id);
                        return null;
                    }

                    if (parameters[0].GetString() != "combined")
                    {
                        error = Error(0, "Unknown property", id);
                        return null;
                    }

                    if (method == "GET_PROPERTY")
                    {
                        return new MarketStreamRequest(MarketStreamMethod.GetProperty, [], false, id);
                    }

                    if (parameters.GetArrayLength() != 2 || parameters[1].ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = Error(1, "Invalid value type: expected Boolean", id);
                        return null;
                    }

                    return new MarketStreamRequest(MarketStreamMethod.SetProperty, [], parameters[1].GetBoolean(), id);
                default:
                    error = Error(2, $"Invalid request: unknown variant {method}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY", id);
                    return null;
            }
        }
    }

    /// <summary>A successful answer: <c>{"result":…,"id":…}</c>.</summary>
    /// <param name="id">The request id as JSON.</param>
    /// <param name="resultJson">The result as JSON (<c>null</c>, a boolean, or a list of streams).</param>
    /// <returns>The answer text.</returns>
    public static string Result(string id, string resultJson) => string.Concat("{\"result\":", resultJson, ",\"id\":", id, "}");

    /// <summary>The answer listing streams: <c>{"result":["a","b"],"id":…}</c>.</summary>
    /// <param name="id">The request id as JSON.</param>
    /// <param name="streams">The streams.</param>
    /// <returns>The answer text.</returns>
    public static string List(string id, IEnumerable<string> streams) => Result(id, JsonSerializer.Serialize(streams, ContractsJson.Default.IEnumerableString));

    /// <summary>An error answer: <c>{"code":N,"msg":"…","id":…}</c>.</summary>
    /// <param name="code">0 unknown property, 1 bad value type, 2 invalid request, 3 invalid JSON (the exchange's codes).</param>
    /// <param name="message">What was wrong.</param>
    /// <param name="id">The request id as JSON, when known.</param>
    /// <returns>The answer text.</returns>
    public static string Error(int code, string message, string? id) =>
        string.Concat("{\"code\":", code.ToString(System.Globalization.CultureInfo.InvariantCulture), ",\"msg\":", JsonSerializer.Serialize(message, ContractsJson.Default.String),
            id is null ? "" : ",\"id\":" + id, "}");

    /// <summary>A <c>SUBSCRIBE</c>/<c>UNSUBSCRIBE</c> message as a client sends it.</summary>
    /// <param name="subscribe">True to subscribe.</param>
    /// <param name="streams">Stream names.</param>
    /// <param name="id">Request id.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] Request(bool subscribe, IEnumerable<string> streams, long id) =>
        Encoding.UTF8.GetBytes(string.Concat("{\"method\":\"", subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", "\",\"params\":", JsonSerializer.Serialize(streams, ContractsJson.Default.IEnumerableString),
            ",\"id\":", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "}"));

    /// <summary>Wraps a raw payload in the combined-stream envelope <c>{"stream":"…","data":…}</c>.</summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="data">The raw payload (UTF-8 JSON).</param>
    /// <returns>The envelope as UTF-8 JSON.</returns>
    public static byte[] Combined(string stream, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var head = Encoding.UTF8.GetBytes("{\"stream\":" + JsonSerializer.Serialize(stream, ContractsJson.Default.String) + ",\"data\":");
        var frame = new byte[head.Length + data.Length + 1];
        head.CopyTo(frame, 0);
        data.CopyTo(frame.AsSpan(head.Length));
        frame[^1] = (byte)'}';
        return frame;
    }
}
