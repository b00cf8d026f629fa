using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Identity;

/// <summary>The authenticated bot behind a request, set by <see cref="BotAuthenticationMiddleware"/>.</summary>
internal sealed record BotIdentity(string Name, TradingMode Mode);
