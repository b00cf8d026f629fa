using System.Text.Json;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// What one bot sees of its account's user-data events (Binance USDⓈ-M Futures "User Data Streams" event shapes):
/// order, algo and trade events only for its own orders, under its own client ids; account and margin events only
/// with positions on symbols it may trade; anything unknown is not passed on (deny by default).
/// </summary>
internal sealed class UserEventViews(OwnershipLedger ledger, SharedAccounts accounts)
{
    public string? ViewFor(BotIdentity bot, JsonElement e)
    {
        var type = e.TryGetProperty("e", out var t) ? t.GetString() : null;
        return type switch
        {
            "ORDER_TRADE_UPDATE" => Owned(bot, e, "o", "c", algo: false),
            "ALGO_UPDATE" => Owned(bot, e, "o", "caid", algo: true),
            "TRADE_LITE" => Owned(bot, e, null, "c", algo: false),
            "ACCOUNT_UPDATE" => Filtered(bot, e, "a", "P"),
            "MARGIN_CALL" => Filtered(bot, e, null, "p"),
            "ACCOUNT_CONFIG_UPDATE" when e.TryGetProperty("ac", out var ac) => ac.TryGetProperty("s", out var s) && accounts.MayTrade(bot, s.GetString() ?? "") ? e.GetRawText() : null,
            "ACCOUNT_CONFIG_UPDATE" => e.GetRawText(), // multi-assets mode: the account's, like its balances
            _ => null,
        };
    }

    /// <summary>The event with the client id rewritten to the bot's own, or null when the order is not the bot's.</summary>
    private string? Owned(BotIdentity bot, JsonElement e, string? objectName, string idName, bool algo)
    {
        var holder = objectName is null ? e : e.TryGetProperty(objectName, out var inner) ? inner : default;
        if (holder.ValueKind != JsonValueKind.Object || !holder.TryGetProperty(idName, out var id)
            || ledger.BotIdOf(bot.Name, bot.Account, id.GetString(), algo) is not { } botId)
        {
            return null;
        }

        return Rewrite(e, objectName, (name, value, writer) =>
        {
            if (name == idName)
            {
                writer.WriteString(idName, botId);
                return true;
            }

            return false;
        });
    }

    /// <summary>The event with its position list cut to the bot's symbols.</summary>
    private string? Filtered(BotIdentity bot, JsonElement e, string? objectName, string listName) => Rewrite(e, objectName, (name, value, writer) =>
    {
        if (name != listName || value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        writer.WritePropertyName(listName);
        writer.WriteStartArray();
        foreach (var position in value.EnumerateArray())
        {
            if (position.TryGetProperty("s", out var symbol) && accounts.MayTrade(bot, symbol.GetString() ?? ""))
            {
                position.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        return true;
    });

    /// <summary>Copies the event, letting <paramref name="replace"/> write properties of the top level (or of the named object) itself.</summary>
    private static string Rewrite(JsonElement e, string? objectName, Func<string, JsonElement, Utf8JsonWriter, bool> replace)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in e.EnumerateObject())
            {
                if (objectName is not null && property.Name == objectName && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName(objectName);
                    writer.WriteStartObject();
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        if (!replace(inner.Name, inner.Value, writer))
                        {
                            inner.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }
                else if (objectName is not null || !replace(property.Name, property.Value, writer))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
