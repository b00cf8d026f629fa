using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>One upstream market message, cut once into both shapes a bot may read, so fan-out copies nothing.</summary>
internal sealed record MarketFrame(string Stream, ReadOnlyMemory<byte> Combined, ReadOnlyMemory<byte> Raw);

/// <summary>
/// One bot market connection: its streams (guarded by the hub), whether it reads combined envelopes, and its queue of
/// frames (see <see cref="SessionQueue{T}"/>).
/// </summary>
internal sealed class BotMarketSession(BotIdentity bot, bool combined, int capacity) : SessionQueue<ReadOnlyMemory<byte>>(capacity)
{
    public BotIdentity Bot { get; } = bot;

    public bool Combined { get; set; } = combined;

    /// <summary>The session's streams in subscription order; read and written under the hub's lock.</summary>
    public List<string> Streams { get; } = [];

    public void Deliver(MarketFrame frame) => Offer(Combined ? frame.Combined : frame.Raw);
}
