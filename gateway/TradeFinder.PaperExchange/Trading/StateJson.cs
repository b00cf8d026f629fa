using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>
/// The state file's JSON (camelCase, enums by name), source-generated: no reflection at run time, so trimming and
/// ahead-of-time compilation keep it working.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AccountState))]
internal sealed partial class StateJson : JsonSerializerContext;
