using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// What the budgets cost and save: the limiter's own cost per request, how fast over-quota requests are
/// refused over mTLS, and the weight that coalescing saves when many bots poll the same market data.
/// </summary>
public static class BudgetsBenchmark
{
    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| measurement | result |", "|---|---:|" };
        var budgets = new ExchangeBudgets(Options.Create(new BudgetOptions { PerBotWeightPerMinute = int.MaxValue, PerBotOrdersPer10Seconds = int.MaxValue }), new ExchangeClock(TimeProvider.System));
        budgets.SetLimits(TradingMode.Live, new ExchangeLimits(int.MaxValue / 2, int.MaxValue / 2, int.MaxValue / 2));
        var bots = Enumerable.Range(0, 20).Select(i => "bot" + i).ToArray();
        var n = 0;
        rows.Add($"| budget check and charge (shared key + bot quota), 1 thread | {Measure.Micro(() => budgets.TryCharge(TradingMode.Live, bots[n++ % 20], RequestPriority.NewOrder, 1, 1), 1_000_000):N3} µs |");

        await using (var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Gateway:PaperJournal"] = "false",
            ["Gateway:Budgets:PerBotWeightPerMinute"] = "5",
        }))
        {
            var certificate = await host.IssueBotAsync("greedy");
            var ca = X509CertificateLoader.LoadCertificateFromFile(host.CaCertificatePath);
            var refused = await PipelinedLoad.RunAsync(host.BotsAddress, ca, certificate,
                "GET /fapi/v2/account HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "429", 8, 16, duration, warmUp: TimeSpan.FromSeconds(15)); // a cold process: let tiered JIT settle (see GatewayBenchmark)
            rows.Add($"| over-quota account reads refused locally over mTLS (pipelined, 8 × 16; audited) | {refused.PerSecond:N0} req/s ({refused.Unexpected} not 429) |");
        }

        rows.AddRange(await CoalescingAsync(duration));
        return rows;
    }

    private static async Task<IReadOnlyList<string>> CoalescingAsync(TimeSpan duration)
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Gateway:PaperWeightPerMinute"] = "100000000",
            ["Gateway:Budgets:PerBotWeightPerMinute"] = "100000000",
        });
        var clients = new List<HttpClient>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add(host.CreateClient(await host.IssueBotAsync("poller" + i)));
        }

        // What 20 strategy bots on two symbols typically poll: the book, the mark price and the last price.
        (string Path, int Weight)[] polls =
        [
            ("fapi/v1/depth?symbol=BTCUSDT&limit=100", 5), ("fapi/v1/depth?symbol=ETHUSDT&limit=100", 5),
            ("fapi/v1/premiumIndex?symbol=BTCUSDT", 1), ("fapi/v1/premiumIndex?symbol=ETHUSDT", 1),
            ("fapi/v1/ticker/price?symbol=BTCUSDT", 1), ("fapi/v1/ticker/price?symbol=ETHUSDT", 1),
        ];
        host.PaperJournal.Clear();
        long requested = 0, answered = 0;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, b) => Task.Run(async () =>
        {
            for (var i = b; !stop.IsCancellationRequested; i++)
            {
                var (path, weight) = polls[i % polls.Length];
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref requested, weight);
                    Interlocked.Increment(ref answered);
                }

                await Task.Delay(50); // a polling bot, not a flood
            }
        })));
        var upstream = host.PaperJournal.Entries.Sum(e => e.Path switch { "/fapi/v1/depth" => 5, "/fapi/v1/premiumIndex" or "/fapi/v1/ticker/price" => 1, _ => 0 });
        clients.ForEach(c => c.Dispose());
        var minutes = clock.Elapsed.TotalMinutes;
        return
        [
            $"| 20 bots polling book, mark and last price (2 symbols, 50 ms pause): weight asked by bots | {requested / minutes:N0} per minute ({answered / clock.Elapsed.TotalSeconds:N0} answers/s) |",
            $"| the same: weight actually sent upstream after coalescing and TTL cache | {upstream / minutes:N0} per minute ({100.0 * (requested - upstream) / Math.Max(1, requested):N1}% saved) |",
        ];
    }
}
