using System.Threading.Channels;

namespace TradeFinder.Gateway.Streams;

/// <summary>One bot connection's queue of events; a bot that lets it fill is cut off alone, never slowing the others.</summary>
internal sealed class BotStreamSession(int capacity)
{
    private readonly Channel<string> _events = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<string> Events => _events.Reader;

    /// <summary>Why the gateway ended the session (slow consumer, key closed), or null.</summary>
    public string? EndReason { get; private set; }

    public void Offer(string json)
    {
        if (!_events.Writer.TryWrite(json))
        {
            End("slow consumer: events were not read fast enough");
        }
    }

    public void End(string reason)
    {
        EndReason ??= reason;
        _events.Writer.TryComplete();
    }
}
