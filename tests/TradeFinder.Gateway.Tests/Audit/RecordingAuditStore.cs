using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// A real store seen through a recorder: which commits were flushed, and how often the log was copied.
/// </summary>
internal sealed class RecordingAuditStore(IAuditStore inner) : IAuditStore
{
    private readonly Lock _lock = new();
    private readonly List<bool> _flushes = [];
    private readonly List<bool> _onPoolThread = [];
    private readonly List<int> _sizes = [];
    private readonly List<bool> _logCopyResults = [];

    /// <summary>Per append, in order: whether it was flushed.</summary>
    public List<bool> Flushes
    {
        get
        {
            lock (_lock)
            {
                return [.. _flushes];
            }
        }
    }

    /// <summary>Per append, in order: how many records it committed.</summary>
    public List<int> Sizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _sizes];
            }
        }
    }

    public int ExplicitFlushes { get; private set; }

    public int LogCopies { get; private set; }

    public string Name => inner.Name;

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<(long Sequence, string Hash)> TailAsync(CancellationToken cancellationToken) => inner.TailAsync(cancellationToken);

    public Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) => inner.ExistingAsync(eventIds, cancellationToken);

    /// <summary>When set, runs inside every flushed append: a disk that takes time (a fake clock advanced), say.</summary>
    public Action? DuringFlushedAppend { get; set; }

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        Record(true, events.Count);
        await inner.AppendAsync(events, cancellationToken);
        DuringFlushedAppend?.Invoke();
    }

    public async Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        Record(false, events.Count);
        await inner.AppendUnflushedAsync(events, cancellationToken);
    }

    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = await inner.FlushAsync(cancellationToken);
        ExplicitFlushes += flushed ? 1 : 0;
        return flushed;
    }

    /// <summary>Per log copy, in order, as soon as SQLite is done with it: whether it copied the whole log.</summary>
    public List<bool> LogCopyResults
    {
        get
        {
            lock (_lock)
            {
                return [.. _logCopyResults];
            }
        }
    }

    /// <summary>When set, a log copy, once SQLite is done with it, waits for it before it returns: a copy that takes long.</summary>
    public Task? HoldLogCopies { get; set; }

    public async Task<bool> CheckpointLogAsync(CancellationToken cancellationToken)
    {
        var whole = await inner.CheckpointLogAsync(cancellationToken);
        lock (_lock)
        {
            _logCopyResults.Add(whole);
        }

        if (HoldLogCopies is { } hold)
        {
            await hold;
        }

        LogCopies++;
        return whole;
    }

    public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<AuditEvent> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public Task<(long Sequence, string Hash)?> AnchorAsync(CancellationToken cancellationToken) => inner.AnchorAsync(cancellationToken);

    public Task<int> PurgeBeforeAsync(long cutoffMs, CancellationToken cancellationToken) => inner.PurgeBeforeAsync(cutoffMs, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Per append, in order: whether it ran on a thread-pool worker.</summary>
    public List<bool> OnPoolThread
    {
        get
        {
            lock (_lock)
            {
                return [.. _onPoolThread];
            }
        }
    }

    private void Record(bool flushed, int size)
    {
        lock (_lock)
        {
            _flushes.Add(flushed);
            _sizes.Add(size);
            _onPoolThread.Add(Thread.CurrentThread.IsThreadPoolThread);
        }
    }
}
