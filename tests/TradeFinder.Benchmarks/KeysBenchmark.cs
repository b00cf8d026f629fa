using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// Signatures per second per key type (one core and all cores), and what a rotation costs a trading bot:
/// latency of signed reads through the gateway before and while keys are rotated every 250 ms.
/// </summary>
public static class KeysBenchmark
{
    private static readonly byte[] OrderPayload = Encoding.UTF8.GetBytes(
        "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=65000.10&newClientOrderId=bench-000001&timestamp=1764000000000&recvWindow=5000");

    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| measurement | result |", "|---|---:|" };
        foreach (var type in new[] { "hmac", "ed25519", "rsa" })
        {
            using var key = Load(TestKey.Of(type));
            var single = PerSecond(key, duration / 4, threads: 1);
            var all = PerSecond(key, duration / 4, threads: Environment.ProcessorCount);
            rows.Add($"| {type} signatures/s over an order payload, 1 thread | {single:N0} ({1_000_000 / single:N1} µs each) |");
            rows.Add($"| {type} signatures/s, {Environment.ProcessorCount} threads | {all:N0} |");
        }

        rows.AddRange(await RotationPauseAsync(duration));
        return rows;
    }

    private static ExchangeKey Load(TestKey key)
    {
        using var material = key.PrivateKeyPem is null
            ? new KeyMaterial(key.ApiKey, (byte[])key.Secret.Clone(), false, "v1")
            : new KeyMaterial(key.ApiKey, Encoding.ASCII.GetBytes(key.PrivateKeyPem), true, "v1");
        return ExchangeKey.Create(KeySet.DefaultFor(TradingMode.Testnet), material, new Uri("https://testnet.binancefuture.com/"), DateTimeOffset.UnixEpoch);
    }

    private static double PerSecond(ExchangeKey key, TimeSpan duration, int threads)
    {
        var count = 0L;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, _ =>
        {
            var local = 0L;
            while (clock.Elapsed < duration)
            {
                key.TrySign(OrderPayload, out var _);
                local++;
            }

            Interlocked.Add(ref count, local);
        });
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<IReadOnlyList<string>> RotationPauseAsync(TimeSpan duration)
    {
        TestKey a = TestKey.Hmac("BENCHA"), b = TestKey.Ed25519("BENCHB");
        var keys = TempDirectory.Create("tf-bench-keys");
        a.WriteTo(keys, "testnet");
        await using var exchange = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [a.ToPaperCredential(), b.ToPaperCredential()],
            Quiet = true,
            Limits = new PaperExchange.Limits.RateLimitSettings { WeightPerMinute = 100_000_000 },
        }, TimeProvider.System);
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TRADING_MODE"] = "testnet",
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
            ["Gateway:Keys:Provider"] = "files",
            ["Gateway:Keys:Directory"] = keys,
            ["Gateway:Keys:Watch"] = "false",
            ["Gateway:PaperJournal"] = "false",
            ["Logging:LogLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Default"] = "Error",
        });
        var admin = (await host.IssueAdminAsync("bench")).GetNameInfo(X509NameType.SimpleName, false);
        using var client = host.CreateClient(await host.IssueBotAsync("bench", "testnet"));
        Task<bool> ReadAsync(int worker, long n) => Ok(client.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative)));

        // Tiered JIT and connection pools take longer than the runner's 2 s warm-up to settle here.
        await LoadRunner.RunAsync("warm-up", 16, duration, ReadAsync);
        var before = await LoadRunner.RunAsync("signed reads, no rotation", 16, duration, ReadAsync);
        var rotations = 0;
        using var stop = new CancellationTokenSource();
        var rotator = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(250);
                (rotations % 2 == 0 ? b : a).WriteTo(keys, "testnet");
                var (code, output, _) = await host.CliAsync("keys", "rotate", "--admin", admin);
                rotations += code == 0 ? 1 : throw new InvalidOperationException("rotation failed: " + output);
            }
        });
        var during = await LoadRunner.RunAsync("signed reads, rotating every 250 ms", 16, duration, ReadAsync);
        await stop.CancelAsync();
        await rotator;
        var after = await LoadRunner.RunAsync("signed reads, no rotation again", 16, duration, ReadAsync);
        TempDirectory.Delete(keys);
        return
        [
            $"| signed reads through the gateway, 16 connections, no rotation | {before.Summary} |",
            $"| the same while rotating (stage, validate, promote) every 250 ms: {rotations} rotations | {during.Summary} |",
            $"| the same after rotating, no rotation (run-to-run spread) | {after.Summary} |",
        ];
    }

    private static async Task<bool> Ok(Task<HttpResponseMessage> send)
    {
        using var response = await send.ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }
}
