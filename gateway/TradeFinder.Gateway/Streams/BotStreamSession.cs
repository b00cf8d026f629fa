namespace TradeFinder.Gateway.Streams;

/// <summary>One bot user-data connection's queue of events (JSON, numbered by its key's feed).</summary>
internal sealed class BotStreamSession(int capacity) : SessionQueue<string>(capacity);
