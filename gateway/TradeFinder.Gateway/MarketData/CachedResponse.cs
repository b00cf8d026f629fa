namespace TradeFinder.Gateway.MarketData;

/// <summary>An upstream answer kept for identical public requests.</summary>
internal sealed record CachedResponse(int Status, string? ContentType, byte[] Body, string? RetryAfter);
