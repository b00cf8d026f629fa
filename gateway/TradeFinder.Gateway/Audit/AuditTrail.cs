using System.Threading.Channels;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Where the gateway reports what happened. Writes are queued (bounded; nothing is dropped): request records wait
/// for room, which slows bots down instead of growing memory; an order's record and records from places that cannot
/// wait (TLS callbacks) go to the fsync'd spool when the queue is full, so order answers never wait behind traffic
/// and no background write is ever spawned. <see cref="WriteDurableAsync"/> returns only once the record is committed
/// to the database and flushed to disk, or flushed to the spool file. After shutdown has closed the queue, late records
/// go straight to the spool. The writer replays the spool in order once the queue has room again.
/// </summary>
internal sealed class AuditTrail(int capacity, AuditSpool spool, int? gatheredBatch = null)
{
    private readonly Channel<Pending> _channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    internal ChannelReader<Pending> Reader => _channel.Reader;

    /// <summary>
    /// Set by the first record queued after the writer last looked, by every record awaited on disk, by a full batch
    /// while the writer gathers, and when the queue closes. The writer's own thread blocks on it (reset, look at the
    /// queue, wait) instead of awaiting the channel, whose continuation would wake a thread-pool worker per record
    /// and leave it spinning once the record was written.
    /// </summary>
    internal ManualResetEventSlim Queued { get; } = new(initialState: false, spinCount: 0);

    // Records queued since the writer last looked at the queue: only the first of them wakes it (or, while it gathers,
    // a full batch queued; see Gathering).
    private int _sinceLook;

    // Queued records someone waits to see on disk: while there is one the writer does not gather.
    private int _durableQueued;

    /// <summary>Whether a queued record is awaited on disk (an order's <c>sent</c> record): its batch is due now.</summary>
    internal bool DurableQueued => Volatile.Read(ref _durableQueued) > 0;

    /// <summary>
    /// Whether a whole batch is queued: the writer, gathering, has nothing to wait for. Always false without a gathering
    /// window (<see cref="AuditOptions.GatheredBatch"/>): the writer then never sleeps with records queued, so no record
    /// need count the queue (a lock each).
    /// </summary>
    internal bool FullBatchQueued => gatheredBatch is { } full && _channel.Reader.Count >= full;

    /// <summary>The writer is about to look at the queue: the next record queued after this wakes it.</summary>
    internal void Looking() => Interlocked.Exchange(ref _sinceLook, 0);

    /// <summary>
    /// The writer has seen records and lets more join their commit: from here only a record awaited on disk or a full
    /// batch wakes it before its window ends.
    /// </summary>
    internal void Gathering() => Interlocked.CompareExchange(ref _sinceLook, 1, 0);

    /// <summary>The writer's one way to take a record off the queue.</summary>
    internal bool TryTake([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Pending pending)
    {
        if (!_channel.Reader.TryRead(out pending))
        {
            return false;
        }

        if (pending.Flush)
        {
            Interlocked.Decrement(ref _durableQueued);
        }

        return true;
    }

    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(record, null);
        if (TryQueue(pending))
        {
            return;
        }

        try
        {
            await _channel.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            Queued.Set();
        }
        catch (ChannelClosedException)
        {
            spool.Append([record]);
        }
    }

    /// <summary>For places that cannot await (TLS callbacks); still never dropped.</summary>
    public void Write(AuditRecord record)
    {
        if (!TryQueue(new Pending(record, null)))
        {
            spool.Append([record]);
        }
    }

    /// <summary>Returns once the record is committed and flushed to disk (or flushed to the spool file).</summary>
    public async Task WriteDurableAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        // Its continuation may run on the writer's thread, which completes it with its lock released (AuditWriter.Release).
        var done = new TaskCompletionSource();
        if (!TryQueue(new Pending(record, done)))
        {
            // Full or closed: flushed to disk now rather than waiting behind request records.
            spool.Append([record]);
            return;
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private bool TryQueue(Pending pending)
    {
        // Counted before it can be taken, so that the writer never sees it queued and uncounted (it would gather).
        if (pending.Flush)
        {
            Interlocked.Increment(ref _durableQueued);
        }

        if (!_channel.Writer.TryWrite(pending))
        {
            if (pending.Flush)
            {
                Interlocked.Decrement(ref _durableQueued);
            }

            return false;
        }

        if (pending.Flush || Interlocked.Increment(ref _sinceLook) == 1 || FullBatchQueued)
        {
            Queued.Set();
        }

        return true;
    }

    internal void Complete()
    {
        _channel.Writer.TryComplete();
        Queued.Set();
    }

    /// <summary>A queued record; <paramref name="Done"/>, when there is one, is completed once the record is flushed to disk.</summary>
    internal sealed record Pending(AuditRecord Record, TaskCompletionSource? Done)
    {
        /// <summary>Someone waits for the record to be on disk: its batch is flushed.</summary>
        public bool Flush => Done is not null;
    }
}
