namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// Runtime settings that would let key material out of the process: crash dumps and the diagnostics port (which
/// can take a heap dump or attach a profiler). The runtime reads both spellings, <c>DOTNET_</c> and <c>COMPlus_</c>,
/// so both are checked; the diagnostics port is on unless set to 0.
/// </summary>
internal static class RuntimeDiagnostics
{
    public const string AllowInLiveSetting = "Gateway:AllowDiagnosticsInLive";
    private static readonly string[] Prefixes = ["DOTNET_", "COMPlus_"];

    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var prefix in Prefixes)
        {
            if (configuration[prefix + "DbgEnableMiniDump"] == "1")
            {
                problems.Add($"{prefix}DbgEnableMiniDump=1 asks the runtime to write crash dumps");
            }

            if (!string.IsNullOrWhiteSpace(configuration[prefix + "DiagnosticPorts"]))
            {
                problems.Add($"{prefix}DiagnosticPorts opens a diagnostics port");
            }
        }

        var enabled = Prefixes.Select(p => configuration[p + "EnableDiagnostics"]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (enabled != "0")
        {
            problems.Add("the diagnostics port is on (set DOTNET_EnableDiagnostics=0)");
        }

        return problems;
    }
}
