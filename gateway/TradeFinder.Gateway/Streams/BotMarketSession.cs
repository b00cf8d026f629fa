using System.Threading.Channels;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>One upstream market message, cut once into both shapes a bot may read, so fan-out copies nothing.</summary>
internal sealed record MarketFrame(string Stream, ReadOnlyMemory<byte> Combined, ReadOnlyMemory<byte> Raw);

/// <summary>
/// One bot market connection: its streams (guarded by the hub), whether it reads combined envelopes, and its queue of
/// frames; a bot that lets the queue fill is cut off alone, never slowing the others.
/// </summary>
internal sealed class BotMarketSession(BotIdentity bot, bool combined, int capacity)
{
    private readonly Channel<ReadOnlyMemory<byte>> _outgoing = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public BotIdentity Bot { get; } = bot;

    public bool Combined { get; set; } = combined;

    /// <summary>The session's streams in subscription order; read and written under the hub's lock.</summary>
    public List<string> Streams { get; } = [];

    public ChannelReader<ReadOnlyMemory<byte>> Outgoing => _outgoing.Reader;

    /// <summary>Why the gateway ended the session, or null.</summary>
    public string? EndReason { get; private set; }

    public void Deliver(MarketFrame frame) => Offer(Combined ? frame.Combined : frame.Raw);

    public void Offer(ReadOnlyMemory<byte> message)
    {
        if (!_outgoing.Writer.TryWrite(message))
        {
            End("slow consumer: messages were not read fast enough");
        }
    }

    public void End(string reason)
    {
        EndReason ??= reason;
        _outgoing.Writer.TryComplete();
    }
}
