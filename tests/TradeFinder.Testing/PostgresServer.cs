using System.Diagnostics;
using Npgsql;
using Testcontainers.PostgreSql;

namespace TradeFinder.Testing;

/// <summary>
/// A real PostgreSQL for storage tests. In order: <c>TRADEFINDER_TEST_PG</c> (CI and users point at their own;
/// the test script sets it), Testcontainers where a Docker engine exists, else a throw-away local cluster
/// (initdb + pg_ctl on a loopback port, as user postgres when running as root). Never skipped: if none of
/// these works, the test fails saying why.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string VariableName = "TRADEFINDER_TEST_PG";
    private readonly string? _dataDir;
    private readonly string? _binDir;
    private readonly int _port;
    private readonly bool _durable;
    private readonly PostgreSqlContainer? _container;

    private PostgresServer(string connectionString, string? dataDir = null, string? binDir = null, int port = 0, PostgreSqlContainer? container = null, bool durable = false)
    {
        ConnectionString = connectionString;
        _dataDir = dataDir;
        _binDir = binDir;
        _port = port;
        _container = container;
        _durable = durable;
    }

    public string ConnectionString { get; }

    /// <summary>True for a cluster this process owns and may stop and start (outage tests).</summary>
    public bool Controllable => _dataDir is not null;

    public static async Task<PostgresServer> ForTestsAsync()
    {
        var configured = Environment.GetEnvironmentVariable(VariableName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured);
        }

        if (File.Exists("/var/run/docker.sock"))
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync().ConfigureAwait(false);
            return new PostgresServer(container.GetConnectionString(), container: container);
        }

        return await StartPrivateAsync().ConfigureAwait(false);
    }

    /// <summary>A cluster owned by this process, on a free loopback port.</summary>
    /// <param name="durable">
    /// Commits wait for the disk, as a production server's do (measurements); otherwise fsync is off, which tests want.
    /// </param>
    public static async Task<PostgresServer> StartPrivateAsync(bool durable = false)
    {
        var binDir = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (binDir is null)
        {
            throw new InvalidOperationException($"No PostgreSQL: set {VariableName}, run `bash infra/scripts/test.sh` (it installs and starts one), or install postgresql.");
        }

        var root = Path.Combine(Path.GetTempPath(), "tf-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var port = TestPorts.Next();
        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=10", root, binDir, port, durable: durable);
        if (IsRoot())
        {
            await RunAsync("chown", $"postgres:postgres {root}").ConfigureAwait(false);
        }

        await server.AsPostgresAsync($"{binDir}/initdb -D {root}/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8").ConfigureAwait(false);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    public Task StartAsync() => AsPostgresAsync(
        $"{_binDir}/pg_ctl -D {_dataDir}/data -l {_dataDir}/log -w -t 30 start -o '-c listen_addresses=127.0.0.1 -p {_port} -k {_dataDir}"
        + (_durable ? "'" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off'"));

    public Task StopAsync() => AsPostgresAsync($"{_binDir}/pg_ctl -D {_dataDir}/data -m fast -w stop");

    /// <summary>A fresh, empty database on this server, so tests never see each other's rows.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "tf_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (_dataDir is not null)
        {
            try
            {
                await StopAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped by the test.
            }

            TempDirectory.Delete(_dataDir);
        }
    }

    private Task AsPostgresAsync(string command) =>
        IsRoot() ? RunAsync("su", $"postgres -c \"{command}\"") : RunAsync("sh", $"-c \"{command}\"");

    private static bool IsRoot() => Environment.UserName == "root";

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }
    }
}
