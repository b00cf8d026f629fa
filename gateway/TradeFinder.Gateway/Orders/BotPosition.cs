using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>One bot's share of a position on a shared account: the sum of its own orders' fills (+ long, − short), in base quantity.</summary>
internal sealed record BotPosition(string Bot, ExchangeAccount Account, string Symbol, string PositionSide, decimal Quantity);
