using System.Text.Json.Serialization;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Identity;

/// <summary>A registered bot: its certificate (SHA-256 of the DER), status and trading mode.</summary>
internal sealed record BotRecord
{
    public required string Name { get; init; }

    public required string CertificateSha256 { get; init; }

    public BotStatus Status { get; init; } = BotStatus.Active;

    [JsonConverter(typeof(JsonStringEnumConverter<TradingMode>))]
    public TradingMode Mode { get; init; } = TradingMode.Paper;

    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>Scopes granted; null means the configured or default (read-only) scopes.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Risk limits; null means the configured limits, if any.</summary>
    public RiskLimits? Limits { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TradingState>))]
    public TradingState State { get; init; } = TradingState.Active;

    /// <summary>The key set group that signs for this bot; null means configured or default.</summary>
    public string? KeyGroup { get; init; }

    /// <summary>Symbols only this bot may trade on its account; another bot's order on one is refused.</summary>
    public IReadOnlyList<string>? ExclusiveSymbols { get; init; }

    /// <summary>Set by an operator (<c>bots set NAME --unlimited</c>): no default limits fill in what the bot's own limits leave unset.</summary>
    public bool? Unlimited { get; init; }
}
