using System.Text.Json;

namespace TradeFinder.Gateway.Context;

/// <summary>One element of a <c>batchOrders</c> parameter, with each value as the exchange reads it (a JSON string's text, or a literal's text).</summary>
internal sealed class BatchOrder
{
    private readonly Dictionary<string, string> _values;

    internal BatchOrder(IReadOnlyList<(string Name, string RawJson)> properties, Dictionary<string, string> values, bool hasNestedValue)
    {
        Properties = properties;
        _values = values;
        HasNestedValue = hasNestedValue;
    }

    /// <summary>The properties as sent, in order, each value as its raw JSON (so a rewrite keeps the bot's bytes).</summary>
    public IReadOnlyList<(string Name, string RawJson)> Properties { get; }

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>An object or array as a value: never a valid order parameter.</summary>
    public bool HasNestedValue { get; }

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public string? Get(string name) => this[name];

    internal static BatchOrder From(JsonElement element)
    {
        var properties = new List<(string, string)>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var nested = false;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            nested |= value.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
            if (value.ValueKind == JsonValueKind.Null)
            {
                // The exchange treats a null parameter as absent.
                values.Remove(property.Name);
                properties.RemoveAll(p => p.Item1 == property.Name);
                continue;
            }

            properties.RemoveAll(p => p.Item1 == property.Name); // a repeated name: the last one counts, as for the exchange's parser
            properties.Add((property.Name, value.GetRawText()));
            values[property.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return new BatchOrder(properties, values, nested);
    }
}
