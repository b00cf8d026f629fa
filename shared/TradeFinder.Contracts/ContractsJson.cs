using System.Text.Json.Serialization;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Contracts;

/// <summary>
/// The contracts' JSON, source-generated: no reflection at run time, so it works trimmed and compiled ahead of time,
/// and costs no start-up work building serializers.
/// </summary>
[JsonSerializable(typeof(ExchangeError))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(IEnumerable<string>))]
public sealed partial class ContractsJson : JsonSerializerContext;
