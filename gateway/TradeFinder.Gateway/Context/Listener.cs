namespace TradeFinder.Gateway.Context;

/// <summary>The gateway's ports. Every endpoint declares the one it belongs to; elsewhere it does not exist.</summary>
internal enum Listener
{
    Bots,
    Ops,
    Admin,
}
