using System.Text.Json;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// What a bot sees of a shared account, in the exchange's own shapes: order answers and lists carry the bot's own
/// client ids and only the bot's own orders; trade lists only trades of its orders; positions and income only on
/// symbols it may trade. Every order seen on the way updates the ledger (and adopts tagged orders it lacked).
/// </summary>
internal sealed class OwnedViews(OwnershipLedger ledger, SharedAccounts accounts, BotTags tags)
{
    private static readonly byte[] NoSuchOrder = JsonSerializer.SerializeToUtf8Bytes(new ExchangeError(ExchangeErrorCodes.NoSuchOrder, "Order does not exist."), ContractsJson.Default.ExchangeError);

    /// <summary>Endpoints whose answers are rewritten for the bot.</summary>
    public static bool Applies(UsdmEndpoint endpoint) => endpoint.Path switch
    {
        UsdmPaths.Order or UsdmPaths.AlgoOrder or UsdmPaths.BatchOrders or UsdmPaths.OpenOrders or UsdmPaths.AllOrders
            or UsdmPaths.OpenAlgoOrders or UsdmPaths.AllAlgoOrders or UsdmPaths.UserTrades or UsdmPaths.PositionRiskV2
            or UsdmPaths.PositionRiskV3 or UsdmPaths.AccountV2 or UsdmPaths.AccountV3 or UsdmPaths.Income => true,
        _ => false,
    };

    /// <summary>The bot's view of a successful answer; <c>Owned</c> is false when a single order turned out not to be the bot's.</summary>
    public (byte[] Body, bool Owned) Rewrite(BotIdentity bot, UsdmEndpoint endpoint, byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (body, true);
        }

        using (document)
        {
            var root = document.RootElement;
            using var buffer = new MemoryStream(body.Length);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                switch (endpoint.Path)
                {
                    case UsdmPaths.Order or UsdmPaths.AlgoOrder when root.ValueKind == JsonValueKind.Object:
                        if (!WriteOrder(writer, bot, root, single: true))
                        {
                            return (NoSuchOrder, false);
                        }

                        break;
                    case UsdmPaths.BatchOrders or UsdmPaths.OpenOrders or UsdmPaths.AllOrders or UsdmPaths.OpenAlgoOrders or UsdmPaths.AllAlgoOrders
                        when root.ValueKind == JsonValueKind.Array:
                        writer.WriteStartArray();
                        foreach (var element in root.EnumerateArray())
                        {
                            // A batch keeps its positions (one element per order sent, errors included); lists keep only the bot's orders.
                            if (!WriteOrder(writer, bot, element, single: endpoint.Path == UsdmPaths.BatchOrders) && endpoint.Path == UsdmPaths.BatchOrders)
                            {
                                writer.WriteRawValue(NoSuchOrder);
                            }
                        }

                        writer.WriteEndArray();
                        break;
                    case UsdmPaths.UserTrades when root.ValueKind == JsonValueKind.Array:
                        LearnTrades(bot, root);
                        WriteFiltered(writer, root, t => t.TryGetProperty("orderId", out var id) && id.TryGetInt64(out var orderId) && ledger.Owns(bot.Name, bot.Account, orderId, algo: false));
                        break;
                    case UsdmPaths.PositionRiskV2 or UsdmPaths.PositionRiskV3 when root.ValueKind == JsonValueKind.Array:
                        WriteFiltered(writer, root, p => Visible(bot, p, allowAccountWide: false));
                        break;
                    case UsdmPaths.Income when root.ValueKind == JsonValueKind.Array:
                        // Income tied to a trade (commission, realized PnL) only when the trade filled one of the bot's orders.
                        WriteFiltered(writer, root, i => Visible(bot, i, allowAccountWide: true)
                            && (TradeIdOf(i) is not { } tradeId || ledger.OwnsTrade(bot.Name, bot.Account, tradeId) == true));
                        break;
                    case UsdmPaths.AccountV2 or UsdmPaths.AccountV3 when root.ValueKind == JsonValueKind.Object:
                        writer.WriteStartObject();
                        foreach (var property in root.EnumerateObject())
                        {
                            if (property.Name == "positions" && property.Value.ValueKind == JsonValueKind.Array)
                            {
                                writer.WritePropertyName("positions");
                                WriteFiltered(writer, property.Value, p => Visible(bot, p, allowAccountWide: false));
                            }
                            else
                            {
                                property.WriteTo(writer);
                            }
                        }

                        writer.WriteEndObject();
                        break;
                    default:
                        return (body, true);
                }
            }

            return (buffer.ToArray(), true);
        }
    }

    /// <summary>Writes the order as the bot knows it; false (nothing written) when it is not the bot's.</summary>
    private bool WriteOrder(Utf8JsonWriter writer, BotIdentity bot, JsonElement order, bool single)
    {
        if (order.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var algo = order.TryGetProperty("algoId", out _);
        var idName = algo ? "clientAlgoId" : "clientOrderId";
        if (!order.TryGetProperty(idName, out var idValue))
        {
            // An error element of a batch answer: passed on as the exchange wrote it.
            if (single && order.TryGetProperty("code", out _))
            {
                order.WriteTo(writer);
                return true;
            }

            return false;
        }

        ledger.Observe(bot.Account, order, tags.BotFor);
        var botId = ledger.BotIdOf(bot.Name, bot.Account, idValue.GetString(), algo);
        if (botId is null)
        {
            return false;
        }

        writer.WriteStartObject();
        foreach (var property in order.EnumerateObject())
        {
            if (property.Name == idName)
            {
                writer.WriteString(idName, botId);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        return true;
    }

    /// <summary>Trades in a trade list: which order each filled.</summary>
    public void LearnTrades(BotIdentity bot, JsonElement trades)
    {
        foreach (var trade in trades.EnumerateArray())
        {
            if (trade.TryGetProperty("id", out var id) && id.TryGetInt64(out var tradeId) && trade.TryGetProperty("orderId", out var order) && order.TryGetInt64(out var orderId))
            {
                ledger.LearnTrade(bot.Account, tradeId, orderId);
            }
        }
    }

    /// <summary>The symbols whose income entries name trades the ledger does not know yet.</summary>
    public IReadOnlySet<string> SymbolsWithUnknownTrades(BotIdentity bot, byte[] income)
    {
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(income);
            foreach (var entry in document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray() : default)
            {
                if (TradeIdOf(entry) is { } tradeId && ledger.OwnsTrade(bot.Name, bot.Account, tradeId) is null
                    && entry.TryGetProperty("symbol", out var symbol) && symbol.GetString() is { Length: > 0 } name && accounts.MayTrade(bot, name))
                {
                    symbols.Add(name);
                }
            }
        }
        catch (JsonException)
        {
            // Not income: nothing to learn.
        }

        return symbols;
    }

    private static long? TradeIdOf(JsonElement entry) =>
        entry.TryGetProperty("tradeId", out var id) && (id.ValueKind == JsonValueKind.Number ? id.TryGetInt64(out var n) : long.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n))
            ? n
            : null;

    private bool Visible(BotIdentity bot, JsonElement entry, bool allowAccountWide) =>
        entry.TryGetProperty("symbol", out var symbol) && symbol.GetString() is { } name
            ? (name.Length == 0 ? allowAccountWide : accounts.MayTrade(bot, name))
            : allowAccountWide;

    private static void WriteFiltered(Utf8JsonWriter writer, JsonElement array, Func<JsonElement, bool> keep)
    {
        writer.WriteStartArray();
        foreach (var element in array.EnumerateArray())
        {
            if (keep(element))
            {
                element.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
    }
}
