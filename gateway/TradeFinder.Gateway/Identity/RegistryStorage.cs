using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Where a registry document (bots or admins, as JSON) lives. <see cref="Stamp"/> is read on every request and must be
/// cheap (no I/O); it changes whenever the document may have. <see cref="Update"/> is a read-modify-write that no other writer,
/// in this process or another, can interleave with.
/// </summary>
internal abstract class RegistryStorage
{
    /// <summary>Where the document is, for messages (never a secret).</summary>
    public abstract string Location { get; }

    public abstract (long, long) Stamp { get; }

    /// <summary>
    /// The stamp as it is now, for a look-up that found nothing: a storage that checks for changes only now and then
    /// checks at once, so that a certificate issued a moment ago (by another process) is not refused.
    /// </summary>
    public virtual (long, long) FreshStamp => Stamp;

    /// <summary>
    /// For a look-up that found nothing, on a storage whose copy is kept current by notification (replicas): reads the
    /// document again now. False when nothing was read (nothing to read again, asked too recently, or unreachable).
    /// </summary>
    public virtual ValueTask<bool> RefreshNowAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>The document and the stamp it was read at; null JSON: no document yet.</summary>
    public abstract ((long, long) Stamp, string? Json) Read();

    public abstract void Update(Func<string?, string> change);
}

/// <summary>
/// The single node's registry: a file in the data dir, its stamp the file's write time and length. A write through this
/// process (admin API, CLI verbs run in it) is seen by the next request; another process's edit (the ops CLI) within
/// <see cref="RecheckEvery"/>: the file is looked at (one stat) at most that often, not on every request, except when a
/// certificate is not found (<see cref="FreshStamp"/>): a bot issued by the CLI a moment ago is served at once.
/// </summary>
internal sealed class FileRegistryStorage(string path, TimeProvider? time = null) : RegistryStorage
{
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromMilliseconds(250);

    // Writes in this process, per file, whichever storage instance made them.
    private static readonly ConcurrentDictionary<string, StrongBox<long>> Writes = new(StringComparer.Ordinal);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StrongBox<long> _writes = Writes.GetOrAdd(Path.GetFullPath(path), _ => new StrongBox<long>());
    private Seen? _seen;

    public override string Location => path;

    public override (long, long) Stamp
    {
        get
        {
            var writes = Volatile.Read(ref _writes.Value);
            var now = _time.GetTimestamp();
            if (Volatile.Read(ref _seen) is { } seen && seen.Writes == writes && _time.GetElapsedTime(seen.At, now) < RecheckEvery)
            {
                return seen.Stamp;
            }

            var fresh = new Seen(StampOf(new FileInfo(path)), writes, now);
            Volatile.Write(ref _seen, fresh);
            return fresh.Stamp;
        }
    }

    public override (long, long) FreshStamp
    {
        get
        {
            var fresh = new Seen(StampOf(new FileInfo(path)), Volatile.Read(ref _writes.Value), _time.GetTimestamp());
            Volatile.Write(ref _seen, fresh);
            return fresh.Stamp;
        }
    }

    public override ((long, long) Stamp, string? Json) Read()
    {
        var info = new FileInfo(path);
        return info.Exists ? (StampOf(info), File.ReadAllText(path)) : ((0L, 0L), null);
    }

    public override void Update(Func<string?, string> change)
    {
        // The CLI and the running gateway (admin API) both change this file: the read-modify-write happens under
        // an exclusive lock on a sibling file, so neither can lose the other's update.
        using (RegistryLock.Acquire(path + ".lock"))
        {
            SecureFiles.WriteAllText(path, change(File.Exists(path) ? File.ReadAllText(path) : null));
        }

        Interlocked.Increment(ref _writes.Value);
    }

    private static (long, long) StampOf(FileInfo info) => info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0L, 0L);

    private sealed record Seen((long, long) Stamp, long Writes, long At);
}
