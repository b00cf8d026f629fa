using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Where a registry document (bots or admins, as JSON) lives. <see cref="Stamp"/> is read on every request and must be
/// cheap; it changes whenever the document may have. <see cref="Update"/> is a read-modify-write that no other writer,
/// in this process or another, can interleave with.
/// </summary>
internal abstract class RegistryStorage
{
    /// <summary>Where the document is, for messages (never a secret).</summary>
    public abstract string Location { get; }

    public abstract (long, long) Stamp { get; }

    /// <summary>The document and the stamp it was read at; null JSON: no document yet.</summary>
    public abstract ((long, long) Stamp, string? Json) Read();

    public abstract void Update(Func<string?, string> change);
}

/// <summary>The single node's registry: a file in the data dir, its stamp the file's write time and length.</summary>
internal sealed class FileRegistryStorage(string path) : RegistryStorage
{
    public override string Location => path;

    public override (long, long) Stamp
    {
        get
        {
            // One stat per request is cheap and makes CLI edits effective immediately, even across processes.
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : (0L, 0L);
        }
    }

    public override ((long, long) Stamp, string? Json) Read()
    {
        var info = new FileInfo(path);
        return info.Exists ? ((info.LastWriteTimeUtc.Ticks, info.Length), File.ReadAllText(path)) : ((0L, 0L), null);
    }

    public override void Update(Func<string?, string> change)
    {
        // The CLI and the running gateway (admin API) both change this file: the read-modify-write happens under
        // an exclusive lock on a sibling file, so neither can lose the other's update.
        using (RegistryLock.Acquire(path + ".lock"))
        {
            SecureFiles.WriteAllText(path, change(File.Exists(path) ? File.ReadAllText(path) : null));
        }
    }
}
