using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Admin;

/// <summary><c>GET /admin/bots</c>: the gateway-wide trading state and every bot.</summary>
internal sealed record BotsView(string GlobalState, IReadOnlyList<BotView> Bots);

/// <summary>A bot as configured and as in force now (its effective state, scopes and limits).</summary>
internal sealed record BotView(
    string Name, string Mode, string Status, string State, string EffectiveState, IReadOnlyList<string> Scopes, RiskLimits Limits, bool Unlimited,
    IReadOnlyList<string> ExclusiveSymbols, string KeyGroup, string CertificateSha256, DateTimeOffset IssuedAt);

/// <summary>The answer to suspend, revoke or activate.</summary>
internal sealed record BotStatusView(string Name, string Status);

/// <summary>A refused anomaly-threshold change.</summary>
internal sealed record SettingsRefusal(string Error);

/// <summary><c>GET /admin/keys</c>: fingerprints, purpose, age and the last validation; never key material.</summary>
internal sealed record KeySetsView(IReadOnlyList<KeySlotView> Sets);

internal sealed record KeySlotView(
    string Set, string Mode, string Purpose, string? Group, string Provider, string Source, KeyView Active, KeyView? Previous, DateTimeOffset? RollbackUntil,
    ValidationView? LastValidation);

internal sealed record KeyView(string Fingerprint, string Type, string Version, DateTimeOffset LoadedAt, long AgeSeconds, string Host);

internal sealed record ValidationView(string Fingerprint, bool Ok, DateTimeOffset At, string Summary);
