using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Cli;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Audit;

/// <summary>
/// Someone with write access to the audit database but not to the gateway's chain key edits the trail after the
/// gateway wrote it; <c>audit verify</c> must say so with exit code 3.
/// </summary>
[Collection(ExportedMetricsCollection.Name)]
public sealed class AuditTamperingTests : IDisposable
{
    private readonly ScopedTempDirectory _data = new("tf-audit-tamper");

    public void Dispose() => _data.Dispose();

    private string Database => Path.Combine(_data.Path, "audit", "audit.db");

    private async Task WriteTrafficAsync()
    {
        await using var host = await GatewayTestHost.StartAsync(dataDir: _data.Path);
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        for (var i = 0; i < 3; i++)
        {
            using var response = await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }
    }

    private async Task<(int Code, string Output)> VerifyAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GatewayTestHost.BaseSettings(_data.Path)).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(["audit", "verify"], configuration, output, error);
        return (code, output + error.ToString());
    }

    private async Task ExecuteAsync(string sql, Action<SqliteCommand>? bind = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind?.Invoke(command);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task WrittenTrail_VerifiesWithTheKeyAndCheckpointsKeptOutsideTheDatabase()
    {
        await WriteTrafficAsync();

        var (code, output) = await VerifyAsync();

        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(_data.Path, "audit", "chain.key")));
        Assert.NotEmpty(await File.ReadAllLinesAsync(Path.Combine(_data.Path, "audit", "checkpoints.jsonl")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data.Path, "audit", "chain.key")));
        }
    }

    [Fact]
    public async Task RowEditedAndChainRecomputedWithoutTheKey_FailsVerification()
    {
        await WriteTrafficAsync();

        // The edit an attacker would make against a plain SHA-256 chain: change a row, then re-hash every row.
        await ExecuteAsync("UPDATE audit_events SET outcome = 'forwarded 418' WHERE sequence = 1");
        await RechainWithSha256Async();

        var (code, output) = await VerifyAsync();
        Assert.Equal(3, code);
        Assert.Contains("row 1 was changed", output);
    }

    [Fact]
    public async Task NewestRowsDeleted_FailsVerificationAgainstTheLastCheckpoint()
    {
        await WriteTrafficAsync();

        await ExecuteAsync("DELETE FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events)");

        var (code, output) = await VerifyAsync();
        Assert.Equal(3, code);
        Assert.Contains("newest rows were removed", output);
    }

    [Fact]
    public async Task DamagedSpoolAtStart_StopsReplay_ShowsOnTheMetrics_AndBotsAreStillServed()
    {
        var spool = Path.Combine(_data.Path, "audit", "spool.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        await File.WriteAllTextAsync(spool, "garbage\n");

        await using var host = await GatewayTestHost.StartAsync(dataDir: _data.Path);
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha"));
        using var response = await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
        using var ops = host.CreateOpsClient();
        var metrics = await ops.GetStringAsync(new Uri("metrics", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Matches(@"tradefinder_gateway_audit_replay_stopped(\{[^}]*\})? 1", metrics);
        Assert.Matches(@"tradefinder_gateway_audit_store_available(\{[^}]*\})? 0", metrics);
        Assert.StartsWith("garbage\n", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingChainKey_IsASettingsError_NotAPass()
    {
        await WriteTrafficAsync();
        File.Delete(Path.Combine(_data.Path, "audit", "chain.key"));

        var (code, output) = await VerifyAsync();

        Assert.Equal(2, code);
        Assert.Contains("No audit chain key", output);
    }

    private async Task RechainWithSha256Async()
    {
        var rows = new List<(long Sequence, string Canonical)>();
        await using (var connection = new SqliteConnection($"Data Source={Database};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sequence, event_id, occurred_at, event_type, bot, endpoint, outcome, details FROM audit_events ORDER BY sequence";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), string.Join('\u001f',
                    reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1), reader.GetInt64(2).ToString(CultureInfo.InvariantCulture),
                    reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4), reader.IsDBNull(5) ? "" : reader.GetString(5), reader.GetString(6), reader.GetString(7))));
            }
        }

        var previous = new string('0', 64);
        foreach (var (sequence, canonical) in rows)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical + '\u001f' + previous)));
            var prev = previous;
            await ExecuteAsync("UPDATE audit_events SET prev_hash = $prev, hash = $hash WHERE sequence = $seq", c =>
            {
                c.Parameters.AddWithValue("$prev", prev);
                c.Parameters.AddWithValue("$hash", hash);
                c.Parameters.AddWithValue("$seq", sequence);
            });
            previous = hash;
        }
    }
}
