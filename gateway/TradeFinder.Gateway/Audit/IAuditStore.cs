namespace TradeFinder.Gateway.Audit;

/// <summary>Where chained audit rows live. Implementations: SQLite (default) and PostgreSQL; one contract suite.</summary>
internal interface IAuditStore : IAsyncDisposable
{
    string Name { get; }

    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The last row's sequence and hash, or the anchor, or (0, genesis).</summary>
    Task<(long Sequence, string Hash)> TailAsync(CancellationToken cancellationToken);

    /// <summary>Which of these event ids are already stored (spool replay is exactly once).</summary>
    Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken);

    /// <summary>Appends already-chained rows in one transaction, on disk when this returns.</summary>
    Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Appends already-chained rows in one transaction, committed (readable, kept if the process dies) but perhaps not
    /// yet flushed to disk: a later <see cref="AppendAsync"/> or <see cref="FlushAsync"/> makes them durable with it.
    /// </summary>
    Task AppendUnflushedAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken);

    /// <summary>Makes every commit so far durable; false if it could not yet (try again later).</summary>
    Task<bool> FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Copies the write-ahead log into the database without blocking writers, where the store keeps one and its appends
    /// leave that to the caller (SQLite); otherwise nothing. True when the log as it stood when the copy began was copied
    /// whole (an append may then start it over); false when a reader's snapshot kept part of it. Appends that land while
    /// it runs are the caller's to know.
    /// </summary>
    Task<bool> CheckpointLogAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    IAsyncEnumerable<AuditEvent> ReadAllAsync(CancellationToken cancellationToken);

    Task<(long Sequence, string Hash)?> AnchorAsync(CancellationToken cancellationToken);

    /// <summary>Deletes rows older than the cutoff and moves the anchor to the last deleted row.</summary>
    Task<int> PurgeBeforeAsync(long cutoffMs, CancellationToken cancellationToken);
}
