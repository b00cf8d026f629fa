using System.Text.Json.Serialization;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Identity;

[JsonConverter(typeof(JsonStringEnumConverter<BotStatus>))]
internal enum BotStatus
{
    Active,
    Suspended,
    Revoked,
}
