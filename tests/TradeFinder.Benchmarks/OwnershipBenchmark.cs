using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// What keeping bots apart on a shared account costs per order: the ownership and exposure work in process
/// (id binding, atomic check-and-reserve, learning from the answer, the bot's view of it), then orders through the
/// real gateway and simulator, and how fast orders over a bot's cap are refused.
/// </summary>
public static class OwnershipBenchmark
{
    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| measurement | p50 | p99 | rate |", "|---|---:|---:|---:|" };
        rows.AddRange(InProcess());
        rows.Add(await StoreAsync(flush: false));
        rows.Add(await StoreAsync(flush: true));
        rows.AddRange(await SettledAsync());
        rows.AddRange(await ThroughTheGatewayAsync(duration));
        return rows;
    }

    /// <summary>One order's ownership and exposure work, 10 bots with 100 open orders each on the ledger.</summary>
    private static IReadOnlyList<string> InProcess()
    {
        var dir = TempDirectory.Create("tf-own-bench");
        try
        {
            var registry = new BotRegistry(new GatewayPaths(dir));
            for (var b = 0; b < 10; b++)
            {
                registry.Upsert(new BotRecord { Name = "bot" + b, CertificateSha256 = new string((char)('a' + b), 64) });
            }

            var policies = new BotPolicies(new Dictionary<string, ConfiguredBot>());
            var ledger = new OwnershipLedger(TimeProvider.System);
            var views = new OwnedViews(ledger, new SharedAccounts(registry, policies), new BotTags(registry));
            var account = ExchangeAccount.Of(TradingMode.Live, null);
            var order = UsdmEndpoints.Find("POST", UsdmPaths.Order)!;
            var bots = Enumerable.Range(0, 10).Select(b => policies.Resolve(registry.FindByName("bot" + b)!, TradingState.Active)).ToArray();
            long orderId = 1;

            (OwnedOrder Draft, byte[] Answer) Next(BotIdentity bot)
            {
                var botId = ClientIds.NewBotId();
                var draft = new OwnedOrder
                {
                    Bot = bot.Name, Account = account, Symbol = "BTCUSDT", ClientId = ClientIds.Direct(ClientIds.Tag(bot.Name), botId)!, BotClientId = botId,
                    Side = "BUY", OrigQty = 0.001m,
                };
                var answer = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
                {
                    orderId = Interlocked.Increment(ref orderId), symbol = "BTCUSDT", status = "NEW", clientOrderId = draft.ClientId, price = "60000.00",
                    origQty = "0.001", executedQty = "0.000", type = "LIMIT", side = "BUY", positionSide = "BOTH", reduceOnly = false, updateTime = 1,
                }));
                return (draft, answer);
            }

            foreach (var bot in bots)
            {
                for (var i = 0; i < 100; i++)
                {
                    var (draft, answer) = Next(bot);
                    ledger.TryReserve([draft], _ => null);
                    views.Rewrite(bot, order, answer);
                }
            }

            // What the store writer does in the gateway: take the changes away.
            using var stopDrain = new CancellationTokenSource();
            var drain = Task.Run(async () =>
            {
                while (await ledger.Changes.WaitToReadAsync(stopDrain.Token).ConfigureAwait(false))
                {
                    while (ledger.Changes.TryRead(out _))
                    {
                    }
                }
            });
            static string? Cap(SymbolExposure e) => e.AddsRisk && e.WorstCase * 60_000m > 1_000_000_000m ? "cap" : null;
            var rows = new List<string>();
            var (probe, probeAnswer) = Next(bots[0]);
            ledger.TryReserve([probe], _ => null);
            rows.Add($"| of which: the bot's view of an order answer (parse, learn, rewrite the id), 1 thread | {Measure.Micro(() => views.Rewrite(bots[0], order, probeAnswer), 200_000):N1} µs (mean) | | |");
            var held = Next(bots[1]).Draft;
            rows.Add($"| of which: atomic check of the bot's exposure (no reservation), 1 thread | {Measure.Micro(() => ledger.TryReserve([held], e => "refused"), 200_000):N1} µs (mean) | | |");
            rows.Add($"| of which: the bot's tag | {Measure.Micro(() => ClientIds.Tag("bot3"), 1_000_000):N3} µs (mean) | | |");
            foreach (var threads in new[] { 1, 8 })
            {
                const int PerThread = 50_000;
                var samples = new double[threads * PerThread];
                Parallel.For(0, threads, t =>
                {
                    var bot = bots[t % bots.Length];
                    for (var i = -PerThread / 10; i < PerThread; i++)
                    {
                        var (draft, answer) = Next(bot);
                        var start = Stopwatch.GetTimestamp();
                        ledger.TryReserve([draft], Cap);
                        views.Rewrite(bot, order, answer);
                        var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                        if (i >= 0)
                        {
                            samples[(t * PerThread) + i] = elapsed;
                        }

                        // Keep the open-order count steady: the order is cancelled again.
                        ledger.Observe(account, JsonDocument.Parse(Encoding.UTF8.GetString(answer).Replace("\"NEW\"", "\"CANCELED\"", StringComparison.Ordinal)).RootElement);
                    }
                });
                Array.Sort(samples);
                rows.Add($"| ownership + exposure per order in process (reserve, learn from the answer, the bot's view), {threads} thread(s), 1,000 open orders | "
                    + $"{LoadRunner.Percentile(samples, 0.50):N1} µs | {LoadRunner.Percentile(samples, 0.99):N1} µs | |");
            }

            stopDrain.Cancel();

            // What the ledger holds per order it keeps (filled orders are kept 183 days, canceled ones 7): the managed heap
            // after a full collection, with 100,000 such orders from one bot on a fresh ledger, over the heap without them.
            foreach (var (status, executed) in new[] { ("FILLED", "0.001"), ("CANCELED", "0.000") })
            {
                const int Orders = 100_000;
                var fresh = new OwnershipLedger(TimeProvider.System);
                var freshViews = new OwnedViews(fresh, new SharedAccounts(registry, policies), new BotTags(registry));
                var before = GC.GetTotalMemory(forceFullCollection: true);
                for (var i = 0; i < Orders; i++)
                {
                    var (draft, answer) = Next(bots[0]);
                    fresh.TryReserve([draft], _ => null);
                    var closed = Encoding.UTF8.GetString(answer).Replace("\"NEW\"", $"\"{status}\"", StringComparison.Ordinal)
                        .Replace("\"executedQty\":\"0.000\"", $"\"executedQty\":\"{executed}\"", StringComparison.Ordinal);
                    freshViews.Rewrite(bots[0], order, Encoding.UTF8.GetBytes(closed));
                    while (fresh.Changes.TryRead(out _))
                    {
                    }
                }

                var perOrder = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)Orders;
                rows.Add($"| ledger memory per {status.ToLowerInvariant()} order held (managed heap, {Orders:N0} orders) | {perOrder:N0} B | | {fresh.Count:N0} held |");
                GC.KeepAlive(freshViews);
            }

            return rows;
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }

    /// <summary>
    /// The ledger's SQLite store as its writer uses it behind every order: one order's row per transaction with the writer's
    /// mark, unflushed (or flushed, as the first commit after a second is), the order inserted and then updated (in flight as it is sent, then answered); time per write and this process's CPU per write.
    /// </summary>
    private static async Task<string> StoreAsync(bool flush)
    {
        var dir = TempDirectory.Create("tf-own-store");
        try
        {
            await using var store = OwnershipStore.Create(new Gateway.Audit.AuditOptions(), new GatewayPaths(dir));
            await store.MigrateAsync(CancellationToken.None);
            var account = ExchangeAccount.Of(TradingMode.Live, null);
            const int Writes = 2_000, Warm = 200;
            var samples = new double[Writes];
            using var process = Process.GetCurrentProcess();
            var (userBefore, systemBefore) = (TimeSpan.Zero, TimeSpan.Zero);
            for (var i = -Warm; i < Writes; i++)
            {
                if (i == 0)
                {
                    process.Refresh();
                    (userBefore, systemBefore) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
                }

                var n = (i + Warm) / 2;
                var order = new OwnedOrder
                {
                    Bot = "bot1", Account = account, Symbol = "BTCUSDT", ClientId = "tf1-bench-" + n.ToString(CultureInfo.InvariantCulture), BotClientId = "bench-" + n.ToString(CultureInfo.InvariantCulture),
                    Side = "BUY", OrigQty = 0.001m, State = i % 2 == 0 ? OwnedOrderState.InFlight : OwnedOrderState.Open, OrderId = i % 2 == 0 ? null : n,
                    UpdatedAtMs = 1_700_000_000_000 + i,
                };
                var start = Stopwatch.GetTimestamp();
                await store.UpsertAsync([order], order.UpdatedAtMs, flush, CancellationToken.None);
                if (i >= 0)
                {
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }

            process.Refresh();
            var (user, system) = ((process.UserProcessorTime - userBefore).TotalMicroseconds / Writes, (process.PrivilegedProcessorTime - systemBefore).TotalMicroseconds / Writes);
            Array.Sort(samples);
            return $"| the ledger's store (SQLite): one order's row written as its writer does (one transaction with its mark, {(flush ? "flushed, as once a second" : "unflushed, as the others")}; inserted, then updated), 1 thread | "
                + $"{LoadRunner.Percentile(samples, 0.50):N0} µs | {LoadRunner.Percentile(samples, 0.99):N0} µs | {user:N0} + {system:N0} µs of CPU (user + system) per write |";
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirectory.Delete(dir);
        }
    }

    /// <summary>
    /// A start of a long-lived gateway: <see cref="SettledOrders"/> filled orders closed longer ago than the ledger keeps
    /// them, whose fills each start sums per bot and position: the time of that sum with them kept as orders, of folding them
    /// into settled sums, and of the sum afterwards.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SettledAsync()
    {
        const int SettledOrders = 1_000_000, Batch = 10_000;
        var dir = TempDirectory.Create("tf-own-settled");
        try
        {
            var paths = new GatewayPaths(dir);
            await using var store = OwnershipStore.Create(new Gateway.Audit.AuditOptions(), paths);
            await store.MigrateAsync(CancellationToken.None);
            var account = ExchangeAccount.Of(TradingMode.Live, null);
            var longAgo = DateTimeOffset.UnixEpoch.AddYears(50).ToUnixTimeMilliseconds();
            for (var b = 0; b < SettledOrders / Batch; b++)
            {
                var orders = new List<OwnedOrder>(Batch);
                for (var i = 0; i < Batch; i++)
                {
                    var n = (b * Batch) + i;
                    var id = n.ToString(CultureInfo.InvariantCulture);
                    orders.Add(new OwnedOrder
                    {
                        Bot = "bot" + (n % 10).ToString(CultureInfo.InvariantCulture), Account = account, Symbol = n % 3 == 0 ? "ETHUSDT" : "BTCUSDT",
                        ClientId = "tf1-settled-" + id, BotClientId = "settled-" + id, Side = n % 2 == 0 ? "BUY" : "SELL", OrigQty = 0.002m,
                        ExecutedQty = 0.001m, OrderId = n, State = OwnedOrderState.Closed, UpdatedAtMs = longAgo + n,
                    });
                }

                await store.UpsertAsync(orders, 0, flush: true, CancellationToken.None);
            }

            var filledSince = longAgo + SettledOrders + 1;
            var rows = new List<string>();
            async Task MeasureAsync(string when)
            {
                var start = Stopwatch.GetTimestamp();
                var sums = await store.LoadSettledAsync(filledSince, CancellationToken.None);
                var took = Stopwatch.GetElapsedTime(start);
                rows.Add($"| a start's sum of the fills of {SettledOrders:N0} filled orders past their keep time ({when}; SQLite, file {FileMegabytes(paths.OrdersDatabaseFile):N0} MB) | "
                    + $"{took.TotalMilliseconds:N1} ms | | {sums.Count} position shares |");
            }

            await MeasureAsync("kept as orders");
            var folding = Stopwatch.GetTimestamp();
            var (folded, transactions) = (0, 0);
            var slowest = TimeSpan.Zero;
            while (true)
            {
                var one = Stopwatch.GetTimestamp();
                var rows1 = await store.FoldSettledAsync(filledSince, OwnershipWriter.FoldBatch, CancellationToken.None);
                slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Stopwatch.GetElapsedTime(one).Ticks));
                (folded, transactions) = (folded + rows1, transactions + 1);
                if (rows1 < OwnershipWriter.FoldBatch)
                {
                    break;
                }
            }

            rows.Add($"| folding them into settled sums, once ({transactions} transactions of ≤ {OwnershipWriter.FoldBatch:N0} rows, one after each ledger write; slowest {slowest.TotalMilliseconds:N0} ms) | "
                + $"{Stopwatch.GetElapsedTime(folding).TotalMilliseconds:N0} ms | | {folded:N0} rows folded |");
            await MeasureAsync("folded; the file keeps its pages for new rows");
            return rows;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempDirectory.Delete(dir);
        }
    }

    private static double FileMegabytes(string file) =>
        new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length) / 1_048_576.0;

    private static async Task<IReadOnlyList<string>> ThroughTheGatewayAsync(TimeSpan duration)
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Gateway:PaperJournal"] = "false",
            ["Gateway:PaperWeightPerMinute"] = "100000000",
            ["Gateway:PaperOrdersPer10Seconds"] = "100000000",
            ["Gateway:PaperOrdersPerMinute"] = "100000000",
            ["Gateway:Budgets:PerBotWeightPerMinute"] = "100000000",
            ["Gateway:Budgets:PerBotOrdersPer10Seconds"] = "100000000",
        });
        await host.IssueAdminAsync("ops");
        using var trader = host.CreateClient(await host.IssueBotAsync("trader"));
        using var capped = host.CreateClient(await host.IssueBotAsync("capped"));
        await host.CliAsync("bots", "set", "trader", "--max-open-orders", "1000000", "--max-position-notional", "1000000000", "--max-order-notional", "1000000");
        await host.CliAsync("bots", "set", "capped", "--max-position-notional", "100");
        using (await trader.PostAsync(new Uri("fapi/v1/leverage?symbol=BTCUSDT&leverage=5", UriKind.Relative), null))
        {
        }

        var shown = 0;

        // Resting orders with default limits checked (mark price, leverage, exposure), cancelled right after so the book stays small.
        var placed = await LoadRunner.RunAsync("orders", 8, duration, async (w, n) =>
        {
            var price = (20_000 + (n % 1000)).ToString(CultureInfo.InvariantCulture);
            using var response = await trader.PostAsync(new Uri($"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price={price}&newClientOrderId=w{w}n{n}", UriKind.Relative), null);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                if (Interlocked.Increment(ref shown) == 1)
                {
                    Console.WriteLine("order refused: " + await response.Content.ReadAsStringAsync());
                }

                return false;
            }

            using (await trader.DeleteAsync(new Uri($"fapi/v1/order?symbol=BTCUSDT&origClientOrderId=w{w}n{n}", UriKind.Relative)))
            {
            }

            return true;
        });

        // Over its cap: refused at the risk step, nothing sent.
        var refused = await LoadRunner.RunAsync("refused", 8, duration, async (_, _) =>
        {
            using var response = await capped.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000", UriKind.Relative), null);
            return response.StatusCode == HttpStatusCode.Forbidden;
        });
        return
        [
            $"| LIMIT order placed through the gateway over mTLS (ownership, exposure, signing, simulator), then cancelled; 8 bots' worth of concurrency | {placed.P50Ms:N2} ms | {placed.P99Ms:N2} ms | {placed.PerSecond:N0} orders/s ({placed.Failed} failed) |",
            $"| order over the bot's position cap, refused at the risk step | {refused.P50Ms:N2} ms | {refused.P99Ms:N2} ms | {refused.PerSecond:N0} refusals/s ({refused.Failed} not 403) |",
        ];
    }
}
