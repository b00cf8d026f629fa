using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Identity;

/// <summary>The registry file's JSON, source-generated (no reflection at run time; trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BotRegistryDocument))]
internal sealed partial class IdentityJson : JsonSerializerContext;
