using System.Text.Json;
using System.Text.Json.Serialization;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Scopes;

namespace TradeFinder.Gateway.Admin;

/// <summary>
/// The admin API's request and answer shapes, serialized by generated code (the minimal APIs' web defaults: camelCase),
/// so the admin port needs no reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<AuditEvent>))]
[JsonSerializable(typeof(AuditEvent[]))]
[JsonSerializable(typeof(AuditVerification))]
[JsonSerializable(typeof(IReadOnlyList<DetectedAnomaly>))]
[JsonSerializable(typeof(AnomalyThresholds))]
[JsonSerializable(typeof(AnomalyThresholdsChange))]
[JsonSerializable(typeof(SettingsRefusal))]
[JsonSerializable(typeof(BotsView))]
[JsonSerializable(typeof(AdminBotsApi.BotUpdate))]
[JsonSerializable(typeof(AdminBotsApi.StateChange))]
[JsonSerializable(typeof(BotStatusView))]
[JsonSerializable(typeof(KillSwitchResult))]
[JsonSerializable(typeof(KeySetsView))]
[JsonSerializable(typeof(RotationResult))]
internal sealed partial class AdminJson : JsonSerializerContext;
