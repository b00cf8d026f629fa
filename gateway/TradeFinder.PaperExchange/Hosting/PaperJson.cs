using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.PaperExchange.Hosting;

internal static class PaperJson
{
    /// <summary>Exchange JSON is camelCase with decimals as strings; records carry explicit names.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Messages such as "Mandatory parameter 'symbol' ..." keep their plain quotes, as on the exchange.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
