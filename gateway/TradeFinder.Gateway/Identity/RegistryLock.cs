using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// An exclusive lock between processes (and between instances in one process) on a lock file: opened with no
/// sharing, which .NET enforces with an advisory lock on Unix. Waits up to ten seconds, then fails with a message.
/// </summary>
internal static class RegistryLock
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);

    public static IDisposable Acquire(string lockPath)
    {
        SecureFiles.EnsureDirectory(Path.GetDirectoryName(lockPath)!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var waited = TimeSpan.Zero;
        using var pause = new ManualResetEventSlim();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (waited < Patience)
            {
                pause.Wait(Pause);
                waited += Pause;
            }
            catch (IOException ex)
            {
                throw new IOException($"{lockPath} stayed locked for {Patience.TotalSeconds:0} s; another writer of the registry is stuck.", ex);
            }
        }
    }
}
