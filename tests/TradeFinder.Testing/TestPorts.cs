using System.Net;
using System.Net.Sockets;

namespace TradeFinder.Testing;

/// <summary>
/// Ports for the servers tests start, taken below the kernel's ephemeral range (32768–60999 on Linux). A port found by
/// binding port 0 comes from that range, the one every outgoing connection of every test process draws its source port
/// from: between the check and the server's own bind a client socket took it (the paper exchange failed to start in a
/// CI run). Each process walks the range from its own offset and never hands out a port twice.
/// </summary>
public static class TestPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private static readonly HashSet<int> HandedOut = [];
    private static int s_cursor = Environment.ProcessId * 7919 % Count;

    /// <summary>A loopback port free now, below the ephemeral range, not handed out before in this process.</summary>
    public static int Next()
    {
        lock (HandedOut)
        {
            for (var tried = 0; tried < Count; tried++)
            {
                var port = First + (s_cursor++ % Count);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{First + Count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
