using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary>The exchange's clock, <c>GET /fapi/v1/time</c>.</summary>
/// <param name="ServerTimeMs">Unix time in milliseconds.</param>
public sealed record ServerTime([property: JsonPropertyName("serverTime")] long ServerTimeMs)
{
    /// <summary>The server time as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(ServerTimeMs);
}
