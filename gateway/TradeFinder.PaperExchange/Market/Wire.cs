using System.Globalization;
using System.Text.Json.Nodes;

namespace TradeFinder.PaperExchange.Market;

/// <summary>Decimal-as-string formatting the way the exchange writes numbers.</summary>
internal static class Wire
{
    public static string Price(SymbolSpec spec, decimal value) => value.ToString("F" + spec.PricePrecision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Qty(SymbolSpec spec, decimal value) => value.ToString("F" + spec.QuantityPrecision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value.ToString("0.00000000", CultureInfo.InvariantCulture);

    public static string Plain(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON array of <paramref name="items"/> (each not yet in another document).</summary>
    public static JsonArray List(IEnumerable<JsonNode?> items) => new([.. items]);
}
