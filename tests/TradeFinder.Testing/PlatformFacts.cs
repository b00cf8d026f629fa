using Xunit;

namespace TradeFinder.Testing;

/// <summary>A fact about Linux itself (<c>/proc</c>, <c>prctl</c>): skipped, with the reason, anywhere else.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: checks the kernel's view of the process (/proc, prctl).";
        }
    }
}

/// <summary>A fact that needs Unix file modes or the <c>openssl</c> command: skipped, with the reason, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: uses file modes (0600) or the openssl command line.";
        }
    }
}

/// <summary>The theory form of <see cref="UnixFactAttribute"/>.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: uses file modes (0600) or the openssl command line.";
        }
    }
}
