namespace TradeFinder.Testing;

/// <summary>
/// Ports for the servers tests start, taken below the kernel's ephemeral range (32768–60999 on Linux). A port found by
/// binding port 0 comes from that range, the one every outgoing connection of every test process draws its source port
/// from: between the check and the server's own bind a client socket took it (the paper exchange failed to start in a
/// CI run). Test processes run side by side, and a port free when one looked may be another's a moment later (picked,
/// not yet bound; or between a gateway's stop and its restart on the same ports): each port handed out is held by a
/// lock file for the life of the process (<see cref="PortPool"/>), so no two test processes ever hand out the same one.
/// </summary>
public static class TestPorts
{
    private const int First = 20000;
    private const int Count = 12000;

    private static readonly PortPool Shared = new(
        Path.Combine(Path.GetTempPath(), "tradefinder-test-ports-" + Environment.UserName),
        First,
        Count,
        Environment.ProcessId * 7919 % Count);

    /// <summary>A loopback port free now, below the ephemeral range, held by no other test process.</summary>
    public static int Next() => Shared.Next();
}
