using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TradeFinder.Testing;

/// <summary>
/// Hands out loopback ports in <c>[first, first + count)</c>, walking from <paramref name="start"/>. A port is handed out
/// only while this pool holds an exclusive lock on its file in <paramref name="lockDirectory"/> (.NET takes
/// <c>flock</c> for <see cref="FileShare.None"/> on Unix; the kernel drops it when the process ends, however it ends),
/// so pools in other processes sharing the directory skip it until this one is disposed. The port must also be free
/// to bind now, for whatever else runs on the machine.
/// </summary>
public sealed class PortPool(string lockDirectory, int first, int count, int start) : IDisposable
{
    private readonly string _lockDirectory = Directory.CreateDirectory(lockDirectory).FullName;
    private readonly List<FileStream> _held = [];
    private int _cursor = start;
    private bool _disposed;

    public int Next()
    {
        lock (_held)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var tried = 0; tried < count; tried++)
            {
                var port = first + (_cursor++ % count);
                if (TryHold(port) is not { } held)
                {
                    continue;
                }

                if (IsFree(port))
                {
                    _held.Add(held);
                    return port;
                }

                held.Dispose();
            }
        }

        throw new InvalidOperationException($"no free loopback port in {first}-{first + count - 1}");
    }

    /// <summary>Lets other pools hand out this pool's ports again.</summary>
    public void Dispose()
    {
        lock (_held)
        {
            _disposed = true;
            foreach (var held in _held)
            {
                held.Dispose();
            }

            _held.Clear();
        }
    }

    private FileStream? TryHold(int port)
    {
        try
        {
            return new FileStream(
                Path.Combine(_lockDirectory, port.ToString(CultureInfo.InvariantCulture) + ".lock"),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None);
        }
        catch (IOException)
        {
            // Held by another pool, in this process or another.
            return null;
        }
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
