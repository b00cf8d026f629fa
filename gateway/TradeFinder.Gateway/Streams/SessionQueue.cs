using System.Threading.Channels;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// One bot connection's queue of messages (user events, market frames): a bot that lets it fill is cut off alone,
/// never slowing the others.
/// </summary>
internal abstract class SessionQueue<T>(int capacity)
{
    private readonly Channel<T> _events = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<T> Events => _events.Reader;

    /// <summary>Why the gateway ended the session (slow consumer, key closed, too many messages), or null.</summary>
    public string? EndReason { get; private set; }

    public void Offer(T message)
    {
        if (!_events.Writer.TryWrite(message))
        {
            End("slow consumer: messages were not read fast enough");
        }
    }

    public void End(string reason)
    {
        EndReason ??= reason;
        _events.Writer.TryComplete();
    }
}
