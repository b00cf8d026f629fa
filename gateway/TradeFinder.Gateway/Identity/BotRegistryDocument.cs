using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Identity;

internal sealed record BotRegistryDocument
{
    public List<BotRecord> Bots { get; init; } = [];

    /// <summary>The whole gateway's trading state (the kill switch for every bot).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<TradingState>))]
    public TradingState GlobalState { get; init; } = TradingState.Active;
}
