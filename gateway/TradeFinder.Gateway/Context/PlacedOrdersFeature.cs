namespace TradeFinder.Gateway.Context;

/// <summary>
/// The orders a POST places (plain, conditional or batch), each with the client id the exchange will know it by
/// and the one the bot knows.
/// </summary>
internal sealed record PlacedOrdersFeature(IReadOnlyList<(string Symbol, string ClientOrderId, string BotClientId)> Orders, bool Algo, bool Batch);
