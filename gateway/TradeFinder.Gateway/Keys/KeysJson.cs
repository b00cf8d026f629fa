using System.Text.Json.Serialization;

namespace TradeFinder.Gateway.Keys;

/// <summary>Key change announcements between replicas, source-generated JSON (no reflection at run time; AOT safe).</summary>
[JsonSerializable(typeof(SharedKeyService.Announcement))]
internal sealed partial class KeysJson : JsonSerializerContext;
