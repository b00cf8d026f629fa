using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Api;
using TradeFinder.PaperExchange.Faults;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>
/// The simulator's typed JSON (control bodies, fault rules), generated at build time. Exchange answers are built as
/// JSON nodes (<see cref="ExchangeResults.Json"/>): their shapes vary with the request as the exchange's do.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(IReadOnlyList<FaultRule>))]
[JsonSerializable(typeof(ControlApi.PricePin))]
[JsonSerializable(typeof(JsonElement[]))]
internal sealed partial class PaperJson : JsonSerializerContext
{
    private static readonly JsonSerializerOptions ErrorOptions = new(JsonSerializerDefaults.Web)
    {
        // Messages such as "Mandatory parameter 'symbol' ..." keep their plain quotes, as on the exchange.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ContractsJson.Default,
    };

    /// <summary>Error answers: <c>{"code":..,"msg":..}</c>.</summary>
    public static JsonTypeInfo<ExchangeError> Errors { get; } = (JsonTypeInfo<ExchangeError>)ErrorOptions.GetTypeInfo(typeof(ExchangeError));
}
