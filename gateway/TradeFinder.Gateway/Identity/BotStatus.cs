using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Identity;

[JsonConverter(typeof(JsonStringEnumConverter<BotStatus>))]
internal enum BotStatus
{
    Active,
    Suspended,
    Revoked,
}
