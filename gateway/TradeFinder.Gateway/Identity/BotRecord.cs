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

/// <summary>A registered bot: its certificate (SHA-256 of the DER), status and trading mode.</summary>
internal sealed record BotRecord
{
    public required string Name { get; init; }

    public required string CertificateSha256 { get; init; }

    public BotStatus Status { get; init; } = BotStatus.Active;

    [JsonConverter(typeof(JsonStringEnumConverter<TradingMode>))]
    public TradingMode Mode { get; init; } = TradingMode.Paper;

    public DateTimeOffset IssuedAt { get; init; }
}

internal sealed record BotRegistryDocument
{
    public List<BotRecord> Bots { get; init; } = [];
}
