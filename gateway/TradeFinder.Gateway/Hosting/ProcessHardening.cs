using System.Runtime.InteropServices;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// Keeps key material out of core dumps: on Linux the core size limit is set to zero and the process is made
/// non-dumpable (<c>PR_SET_DUMPABLE</c> 0), which also stops other non-root processes of the same user from
/// attaching a debugger or reading <c>/proc/PID/mem</c>.
/// </summary>
internal static partial class ProcessHardening
{
    private const int RlimitCore = 4;
    private const int PrSetDumpable = 4;
    private const int PrGetDumpable = 3;

    /// <summary>Null when done (or not Linux); otherwise why it could not be done.</summary>
    public static string? DisableCoreDumps()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var zero = new RLimit(0, 0);
        if (SetRLimit(RlimitCore, ref zero) != 0)
        {
            return $"setrlimit(RLIMIT_CORE) failed with errno {Marshal.GetLastPInvokeError()}";
        }

        if (Prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
        {
            return $"prctl(PR_SET_DUMPABLE) failed with errno {Marshal.GetLastPInvokeError()}";
        }

        return null;
    }

    /// <summary>Whether the kernel would write a core dump of this process (for tests and diagnostics).</summary>
    public static bool IsDumpable() => !OperatingSystem.IsLinux() || Prctl(PrGetDumpable, 0, 0, 0, 0) != 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit(ulong current, ulong maximum)
    {
        public ulong Current = current;
        public ulong Maximum = maximum;
    }

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetRLimit(int resource, ref RLimit limit);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
