using TradeFinder.Gateway.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Hosting;

public sealed class ProcessHardeningTests
{
    [LinuxFact]
    public void DisableCoreDumps_MakesTheProcessNonDumpable_WithAZeroCoreLimit()
    {
        Assert.Null(ProcessHardening.DisableCoreDumps());

        Assert.False(ProcessHardening.IsDumpable());
        var core = File.ReadAllLines("/proc/self/limits").Single(l => l.StartsWith("Max core file size", StringComparison.Ordinal));
        Assert.Matches(@"Max core file size\s+0\s+0\s", core);
    }
}
