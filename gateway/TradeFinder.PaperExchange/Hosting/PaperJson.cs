using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.PaperExchange.Hosting;

internal static class PaperJson
{
    /// <summary>Exchange JSON is camelCase with decimals as strings; records carry explicit names.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
