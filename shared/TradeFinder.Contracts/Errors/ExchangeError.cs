using System.Text.Json.Serialization;

namespace TradeFinder.Contracts.Errors;

/// <summary>The exchange's error body, <c>{"code":-1121,"msg":"Invalid symbol."}</c>, used by the gateway too.</summary>
/// <param name="Code">The exchange error code (negative), see <see cref="ExchangeErrorCodes"/>.</param>
/// <param name="Message">Human-readable text; never contains secrets.</param>
public sealed record ExchangeError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Message);
