using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TradeFinder.Testing;

/// <summary>
/// A real Redis for the replica tests: a private <c>redis-server</c> on a free loopback port, no persistence, owned by
/// the test so it can be stopped mid-flood and started again on the same port. Debian's redis-server is installed by the
/// test command when missing; without it the test fails saying so (never skipped).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/redis-server";
    private Process? _process;

    private readonly string? _password;

    private RedisServer(int port, string? password)
    {
        Port = port;
        _password = password;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for <c>Gateway:Cluster:Redis</c>.</summary>
    public string ConnectionString => _password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={_password}";

    /// <param name="password">Required by the server (<c>requirepass</c>) when given: canary tests.</param>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException("No redis-server: run `bash infra/scripts/test.sh` (it installs Debian's redis-server) or apt-get install redis-server.");
        }

        var server = new RedisServer(TestPorts.Next(), password);
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts (again) on the same port; returns once it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Binary,
            $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning"
            + (_password is null ? "" : " --requirepass " + _password))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await PingAsync().ConfigureAwait(false))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start ({_process.ExitCode}).");
            }

            await Task.Delay(25).ConfigureAwait(false);
        }

        throw new InvalidOperationException("redis-server did not answer PING within 5 s.");
    }

    /// <summary>Kills the server as a crash would (no shutdown handshake with clients).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process?.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes((_password is null ? "" : $"AUTH {_password}\r\n") + "PING\r\n")).ConfigureAwait(false);
            var answer = new StringBuilder();
            var buffer = new byte[64];
            while (!answer.ToString().Contains("+PONG", StringComparison.Ordinal) && answer.Length < 256)
            {
                var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return answer.ToString().Contains("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
