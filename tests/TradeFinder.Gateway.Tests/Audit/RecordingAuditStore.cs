using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// A real store seen through a recorder: which commits were flushed, made on the caller's thread, held back or made to
/// fail, and how often the log was copied.
/// </summary>
internal sealed class RecordingAuditStore(IAuditStore inner) : IAuditStore
{
    private readonly Lock _lock = new();
    private readonly List<bool> _flushes = [];
    private TaskCompletionSource? _held;
    private TaskCompletionSource? _heldCopy;

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

    public int ExplicitFlushes { get; private set; }

    public int LogCopies { get; private set; }

    /// <summary>Completed when an append is held (see <see cref="HoldAppends"/>).</summary>
    public TaskCompletionSource Holding { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a copy of the log is held (see <see cref="HoldLogCopies"/>).</summary>
    public TaskCompletionSource CopyHolding { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => inner.Name;

    /// <summary>The writer's next copy of the log waits until the returned source is completed.</summary>
    public TaskCompletionSource HoldLogCopies()
    {
        CopyHolding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return _heldCopy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer's appends wait until the returned source is completed.</summary>
    public TaskCompletionSource HoldAppends()
    {
        Holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets every held append and copy go (a failed test must not leave the writer waiting forever).</summary>
    public void ReleaseHolds()
    {
        _held?.TrySetResult();
        _heldCopy?.TrySetResult();
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<(long Sequence, string Hash)> TailAsync(CancellationToken cancellationToken) => inner.TailAsync(cancellationToken);

    public Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken) => inner.ExistingAsync(eventIds, cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await HeldAsync();
        Record(true);
        await inner.AppendAsync(events, cancellationToken);
    }

    public async Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await HeldAsync();
        Record(false);
        await inner.AppendUnflushedAsync(events, cancellationToken);
    }

    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = await inner.FlushAsync(cancellationToken);
        ExplicitFlushes += flushed ? 1 : 0;
        return flushed;
    }

    public async Task CheckpointLogAsync(CancellationToken cancellationToken)
    {
        if (_heldCopy is { } held)
        {
            CopyHolding.TrySetResult();
            await held.Task;
            _heldCopy = null;
        }

        await inner.CheckpointLogAsync(cancellationToken);
        LogCopies++;
    }

    public Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<AuditEvent> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public Task<(long Sequence, string Hash)?> AnchorAsync(CancellationToken cancellationToken) => inner.AnchorAsync(cancellationToken);

    public Task<int> PurgeBeforeAsync(long cutoffMs, CancellationToken cancellationToken) => inner.PurgeBeforeAsync(cutoffMs, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task HeldAsync()
    {
        if (_held is { } held)
        {
            Holding.TrySetResult();
            await held.Task;
            _held = null;
        }
    }

    private void Record(bool flushed)
    {
        lock (_lock)
        {
            _flushes.Add(flushed);
        }
    }
}
