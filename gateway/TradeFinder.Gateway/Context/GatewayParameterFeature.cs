namespace TradeFinder.Gateway.Context;

/// <summary>A parameter the gateway sets on the forwarded request before signing (added, or replacing the bot's value).</summary>
internal sealed record GatewayParameterFeature(string Name, string Value);
