using System.Text.Json.Serialization;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Budgets;

/// <summary>The back-off file's JSON, source-generated (no reflection at run time; trimming and AOT safe).</summary>
[JsonSerializable(typeof(Dictionary<TradingMode, DateTimeOffset>))]
internal sealed partial class BudgetsJson : JsonSerializerContext;
