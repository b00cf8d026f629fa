using System.Text.Json;
using System.Text.Json.Serialization;
using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Api;

/// <summary>
/// The simulator's typed JSON (control bodies, fault rules), generated at build time. Exchange answers are built as
/// JSON nodes (<see cref="ExchangeResults.Json"/>): their shapes vary with the request as the exchange's do.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(IReadOnlyList<FaultRule>))]
[JsonSerializable(typeof(ControlApi.PricePin))]
[JsonSerializable(typeof(JsonElement[]))]
internal sealed partial class PaperJson : JsonSerializerContext;
