using TradeFinder.Gateway.Hosting;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class ProcessHardeningTests
{
    [Fact]
    public void DisableCoreDumps_MakesTheProcessNonDumpable_WithAZeroCoreLimit()
    {
        Assert.True(OperatingSystem.IsLinux(), "the gateway's deployment target; these checks read /proc");

        Assert.Null(ProcessHardening.DisableCoreDumps());

        Assert.False(ProcessHardening.IsDumpable());
        var core = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max core file size", StringComparison.Ordinal));
        Assert.Matches(@"Max core file size\s+0\s+0\s", core);
    }
}
