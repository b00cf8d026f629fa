using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Repository;

/// <summary>
/// The test suite's ports: test processes run side by side, and two that picked the same free port before either bound
/// it failed a CI run ("address already in use"). Two pools over one lock directory stand for two processes: the lock
/// is per open file, so they conflict exactly as processes do.
/// </summary>
public sealed class PortPoolTests : IDisposable
{
    private readonly string _locks = TempDirectory.Create("tf-ports");

    [Fact]
    public void TwoPoolsWalkingTheSamePorts_NeverHandOutTheSameOne()
    {
        using var first = new PortPool(_locks, 21000, 400, start: 0);
        using var second = new PortPool(_locks, 21000, 400, start: 0);

        var ports = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            ports.Add(first.Next());
            ports.Add(second.Next());
        }

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void AHeldPort_IsHandedOutAgain_OnlyOnceItsPoolIsDisposed()
    {
        var port = TestPorts.Next();
        var holder = new PortPool(_locks, port, 1, start: 0);
        Assert.Equal(port, holder.Next());

        using var other = new PortPool(_locks, port, 1, start: 0);
        Assert.Throws<InvalidOperationException>(() => other.Next());

        holder.Dispose();
        Assert.Equal(port, other.Next());
    }

    [Fact]
    public void APortSomethingListensOn_IsNotHandedOut()
    {
        var port = TestPorts.Next();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();

        using var pool = new PortPool(_locks, port, 1, start: 0);
        Assert.Throws<InvalidOperationException>(() => pool.Next());
    }

    public void Dispose() => TempDirectory.Delete(_locks);
}
