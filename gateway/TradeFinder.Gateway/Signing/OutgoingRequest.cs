namespace TradeFinder.Gateway.Signing;

/// <summary>The query string and form body exactly as they will be sent upstream (no leading '?').</summary>
internal readonly record struct OutgoingRequest(string Query, string Body);
