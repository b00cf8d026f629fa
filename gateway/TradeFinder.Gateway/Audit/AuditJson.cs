using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The audit trail's JSON (spool and checkpoint lines, a record's details, an order answer's traced fields),
/// source-generated: no reflection at run time, so trimming and ahead-of-time compilation keep it working. Details
/// hold plain values only; each kind a record puts there is listed.
/// </summary>
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditCheckpoint))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(List<Dictionary<string, object?>>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class AuditJson : JsonSerializerContext;
