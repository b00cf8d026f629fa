namespace TradeFinder.Gateway.Context;

internal sealed record ListenerMetadata(Listener Listener);
