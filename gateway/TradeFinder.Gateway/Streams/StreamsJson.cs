using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Streams;

/// <summary>A listen key answer, in the exchange's shape (<c>{"listenKey":"…"}</c>; an empty object for a close).</summary>
internal sealed record ListenKeyAnswer([property: JsonPropertyName("listenKey"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ListenKey);

/// <summary>
/// The streams' JSON (listen key answers, events the gateway writes itself), source-generated: no reflection at run
/// time, so trimming and ahead-of-time compilation keep it working. Events hold plain values; each kind is listed.
/// </summary>
[JsonSerializable(typeof(ListenKeyAnswer))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(decimal))]
internal sealed partial class StreamsJson : JsonSerializerContext;
