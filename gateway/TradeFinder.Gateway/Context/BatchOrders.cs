using System.Text;
using System.Text.Json;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// A <c>batchOrders</c> parameter parsed once for every step (scope, validation, risk, ledger): a JSON array of
/// order objects. <see cref="Malformed"/> when it is not one; then no step trusts any element.
/// </summary>
internal sealed class BatchOrders
{
    public const string ParameterName = "batchOrders";
    public const string ClientOrderIdName = "newClientOrderId";

    private BatchOrders(IReadOnlyList<BatchOrder> orders, bool malformed)
    {
        Orders = orders;
        Malformed = malformed;
    }

    public IReadOnlyList<BatchOrder> Orders { get; }

    public bool Malformed { get; }

    public static BatchOrders Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new([], malformed: true);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return new([], malformed: false);
            }

            if (root.ValueKind != JsonValueKind.Array || root.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
            {
                return new([], malformed: true);
            }

            return new([.. root.EnumerateArray().Select(BatchOrder.From)], malformed: false);
        }
        catch (JsonException)
        {
            return new([], malformed: true);
        }
    }

    /// <summary>
    /// The batch with each element's client order id replaced by <paramref name="exchangeIdFor"/>(element index);
    /// every other property is copied byte for byte.
    /// </summary>
    public string WithClientIds(Func<int, string> exchangeIdFor)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < Orders.Count; i++)
            {
                writer.WriteStartObject();
                foreach (var (name, raw) in Orders[i].Properties)
                {
                    if (name == ClientOrderIdName)
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    writer.WriteRawValue(raw, skipInputValidation: true);
                }

                writer.WriteString(ClientOrderIdName, exchangeIdFor(i));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
