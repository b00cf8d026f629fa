using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// The gateway's hop against a plain TLS proxy, in one run on one machine. One standalone paper exchange (its own
/// process, limits raised as a higher account tier has them) is the upstream of three targets: <b>direct</b> (plain
/// HTTP, the client signs), <b>nginx</b> (Debian's, TLS 1.3, client certificate required, keep-alive upstream; the
/// client signs) and the <b>gateway</b> (its own process in testnet mode pointed at the same simulator; the bot sends
/// no key and the gateway signs). Each request kind — the exchange time, a signed balance read, a MARKET order — is
/// loaded open-loop at fixed rates, the latency taken from each request's intended start (corrected for coordinated
/// omission: a stall delays every request scheduled during it), the targets interleaved in every round; then each
/// target closed-loop. Also: the gateway's start to full speed under load, and its resident memory idle and after a flood.
/// </summary>
public static partial class HopBenchmark
{
    // Random, like a real key: the gateway refuses to start with a key that looks like a placeholder.
    private static readonly string ApiKey = "hop" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(30));
    private static readonly string[] Targets = ["direct", "nginx", "yarp", "gateway"];

    // Each client keeps at most this many connections, all opened during the warm-up: a request waits for a free one
    // rather than opening (and, over TLS, handshaking) another under load — a handshake storm is not the hop's cost.
    private const int Connections = 32;

    // ... and keeps them open while idle. A target waits up to 90 s between its runs (the others run in between), and
    // HttpClient closed connections idle for a minute (nginx for 75 s): a target's first run after such a wait opened its
    // connections again under load, and its first requests waited 60–260 ms (13 of the 14 runs with a request over 40 ms
    // in one full run, through nginx, bare YARP and the gateway alike; none in the same rotation with connections kept).
    private static readonly TimeSpan IdleConnectionsKept = TimeSpan.FromMinutes(10);

    // How long the simulator takes to answer an order in the "exchange +N ms" runs.
    private const int OrderExchangeDelayMs = 5;

    // The rate of the quick run's orders through the gateway (and bare YARP's with the slower exchange beside them).
    private const int OrderRate = 200;

    public static async Task<IReadOnlyList<string>> RunAsync(int seconds, int rounds, int floodSeconds, IReadOnlyList<int> rates)
    {
        var work = TempDirectory.Create("tf-hop");
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var processes = new List<Process>();

        // HOP_CLUSTER=1: the gateway as one of several replicas would run, with its shared stores started here.
        await using var replica = await ReplicaStores.StartAsync();
        try
        {
            // The simulator.
            var paperPort = TestPorts.Next();
            processes.Add(Spawn("paper", "dotnet", [Binary("TradeFinder.PaperExchange"), "--urls", $"http://127.0.0.1:{paperPort}"], new()
            {
                ["PAPER_API_KEY"] = ApiKey, ["PAPER_API_SECRET"] = secret, ["PAPER_WEIGHT_PER_MINUTE"] = "100000000",
                ["PAPER_ORDERS_PER_10S"] = "10000000", ["PAPER_ORDERS_PER_MINUTE"] = "10000000", ["PAPER_STARTING_BALANCE"] = "100000000",
            }));
            var paper = new Uri($"http://127.0.0.1:{paperPort}/");
            using var direct = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionIdleTimeout = IdleConnectionsKept }) { BaseAddress = paper, Timeout = TimeSpan.FromSeconds(30) };
            await ReadyAsync(direct, "fapi/v1/ping");

            // The gateway: a bot certificate first (the CLI creates the CA), then the process, timed from its start.
            var data = Path.Combine(work, "gateway");
            var ports = (Bots: TestPorts.Next(), Admin: TestPorts.Next(), Ops: TestPorts.Next());
            var environment = GatewayEnvironment(data, ports, paper, secret);
            replica?.AddTo(environment);
            using (var issue = Spawn("certs", GatewayCommand().File, [.. GatewayCommand().Arguments, "certs", "issue", "--bot", "hop", "--mode", "testnet", "--scopes", "market:read,account:read,trade"], environment))
            {
                await issue.WaitForExitAsync();
                if (issue.ExitCode != 0)
                {
                    throw new InvalidOperationException("certs issue failed");
                }
            }

            var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data, "certs", "ca.crt"));
            var bot = Pem.LoadWithKey(Path.Combine(data, "certs", "bots", "hop", "hop.crt"), Path.Combine(data, "certs", "bots", "hop", "hop.key"));

            // nginx in front of the same simulator, presenting the gateway's server certificate (made here, before the
            // gateway starts, as the gateway itself would) and trusting its CA for clients.
            using (var authority = TradeFinder.Gateway.Certificates.CertificateAuthority.LoadOrCreate(new TradeFinder.Gateway.Certificates.CertificatePaths(Path.Combine(data, "certs")), TimeProvider.System))
            using (authority.LoadOrIssueServerCertificate())
            {
            }

            var nginxPort = TestPorts.Next();
            var nginxProcess = StartNginx(work, nginxPort, paperPort, Path.Combine(data, "certs"));
            processes.Add(nginxProcess);
            using var nginx = Mtls(new Uri($"https://127.0.0.1:{nginxPort}/"), ca, bot);
            await ReadyAsync(nginx, "fapi/v1/ping");

            // The framework's floor: Kestrel and YARP alone, same TLS, same certificates, nothing of the gateway's pipeline.
            var yarpPort = TestPorts.Next();
            var yarpProcess = Spawn("yarp", "dotnet", [typeof(HopBenchmark).Assembly.Location, "bare-proxy", yarpPort.ToString(CultureInfo.InvariantCulture), Path.Combine(data, "certs"), paper.ToString()],
                YarpEnvironment());
            processes.Add(yarpProcess);
            using var yarp = Mtls(new Uri($"https://127.0.0.1:{yarpPort}/"), ca, bot);
            await ReadyAsync(yarp, "fapi/v1/ping");
            await ClosedAsync(yarp, _ => new HttpRequestMessage(HttpMethod.Get, "fapi/v1/time"), Connections, TimeSpan.FromSeconds(10));

            // Warm the simulator and this load generator's mTLS client first (both JIT too), so the ramp below is the gateway's.
            await ClosedAsync(nginx, _ => new HttpRequestMessage(HttpMethod.Get, "fapi/v1/time"), Connections, TimeSpan.FromSeconds(15));
            var started = Stopwatch.GetTimestamp();
            var gatewayProcess = Spawn("gateway", GatewayCommand().File, GatewayCommand().Arguments, environment);
            processes.Add(gatewayProcess);
            using var gateway = Mtls(new Uri($"https://127.0.0.1:{ports.Bots}/"), ca, bot);
            await ReadyAsync(gateway, "fapi/v1/time");
            var readyAfter = Stopwatch.GetElapsedTime(started);
            var idleRss = Rss(gatewayProcess.Id);
            var ramp = await RampAsync(gateway, started);

            // The gateway's runtime meter on its ops port: what a Prometheus scrape reads, line by line.
            using var ops = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Ops}/") };
            async Task<string[]> runtimeLines(params string[] prefixes) =>
                [.. (await ops.GetStringAsync(new Uri("metrics", UriKind.Relative))).Split('\n').Where(line => prefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)))];
            if (Environment.GetEnvironmentVariable("HOP_RAMP_ONLY") == "1")
            {
                // Start-up tuning: a fresh process per experiment, nothing measured after the ramp but the runtime's counters.
                Console.Error.WriteLine(string.Join('\n', await runtimeLines("dotnet_jit", "dotnet_thread_pool_thread_count", "dotnet_gc_pause", "dotnet_monitor_lock")));

                // The same 20 s against bare YARP, long warm: whether the dips that move "full speed" are the gateway's or the machine's.
                var floorRamp = await RampAsync(yarp, Stopwatch.GetTimestamp());
                return [$"ready {readyAfter.TotalSeconds:F2} s, full speed {ramp.FullSpeedSeconds:F2} s (steady {ramp.SteadyPerSecond:N0}/s, slowest second after {ramp.SlowestAfter * 100:F0} %); idle {idleRss.Rss:F0} MB; "
                    + $"bare YARP by the same rule {floorRamp.FullSpeedSeconds:F2} s (steady {floorRamp.SteadyPerSecond:N0}/s, slowest second after {floorRamp.SlowestAfter * 100:F0} %)"];
            }

            // Memory: after a flood of the gateway (32 clients), right away and once it settled.
            async Task<(double PerSecond, (double Rss, double Peak) After, (double Rss, double Peak) Settled)> floodAsync(Func<long, HttpRequestMessage>? build = null)
            {
                var flooded = await ClosedAsync(gateway, build ?? (_ => new HttpRequestMessage(HttpMethod.Get, "fapi/v1/time")), 32, TimeSpan.FromSeconds(floodSeconds));
                var after = Rss(gatewayProcess.Id);
                await Task.Delay(TimeSpan.FromSeconds(10));
                return (flooded.PerSecond, after, Rss(gatewayProcess.Id));
            }

            var clients = new Dictionary<string, HttpClient> { ["direct"] = direct, ["nginx"] = nginx, ["yarp"] = yarp, ["gateway"] = gateway };

            // Bytes the .NET proxies allocated so far: the gateway's runtime meter, bare YARP's own answer.
            async Task<double> allocated(string target) => target switch
            {
                "gateway" => (await runtimeLines("dotnet_gc_heap_total_allocated_bytes_total"))
                    .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).Single(),
                "yarp" => double.Parse(await yarp.GetStringAsync(new Uri("_allocated", UriKind.Relative)), CultureInfo.InvariantCulture),
                _ => double.NaN,
            };
            var proxies = new Dictionary<string, int> { ["direct"] = processes[0].Id, ["nginx"] = nginxProcess.Id, ["yarp"] = yarpProcess.Id, ["gateway"] = gatewayProcess.Id };
            var key = Encoding.UTF8.GetBytes(secret);
            HttpRequestMessage order(string target, long n) =>
                Signed(target, HttpMethod.Post, "fapi/v1/order", $"symbol=BTCUSDT&side={(n % 2 == 0 ? "BUY" : "SELL")}&type=MARKET&quantity=0.002&newOrderRespType=RESULT", key);
            var kinds = new (string Name, Func<string, long, HttpRequestMessage> Build, int ExchangeDelayMs)[]
            {
                ("GET /fapi/v1/time", (_, _) => new HttpRequestMessage(HttpMethod.Get, "fapi/v1/time"), 0),
                ("signed GET /fapi/v2/balance", (target, _) => Signed(target, HttpMethod.Get, "fapi/v2/balance", "", key), 0),
                ("signed POST /fapi/v1/order (MARKET)", order, 0),
                // The simulator answers an order in a fraction of a millisecond; an exchange reached over a network does not.
                // With a few milliseconds of exchange time the audit record's synced commit, which the gateway starts as the
                // order leaves, is no longer what an order answer waits for.
                ($"signed POST /fapi/v1/order (MARKET), exchange +{OrderExchangeDelayMs} ms", order, OrderExchangeDelayMs),
            };

            if (Environment.GetEnvironmentVariable("HOP_FLOOD_ONLY") is "1" or "orders")
            {
                // Memory tuning: the flood alone (of orders with HOP_FLOOD_ONLY=orders, which the ownership ledger keeps),
                // then where the resident set is (the runtime's own view of its heap beside it).
                var memory = await floodAsync(Environment.GetEnvironmentVariable("HOP_FLOOD_ONLY") == "orders" ? n => kinds[2].Build("gateway", n) : null);
                Console.Error.WriteLine(string.Join('\n', await runtimeLines("dotnet_gc_last_collection", "dotnet_process_memory", "dotnet_gc_collections", "tradefinder_gateway_ownership")));
                return [$"idle {idleRss.Rss:F0} MB; flood {memory.PerSecond:N0} req/s; after it {memory.After.Rss:F0} MB (peak {memory.After.Peak:F0}), 10 s later {memory.Settled.Rss:F0} MB"];
            }

            // The simulator's own latency fault on orders (its control API), for one kind's runs.
            async Task<IAsyncDisposable> exchangeDelay(int milliseconds)
            {
                if (milliseconds == 0)
                {
                    return new AsyncAction(() => Task.CompletedTask);
                }

                var faults = new Uri("paper/control/faults", UriKind.Relative);
                using var rule = new StringContent($$"""{"pathPattern":"/fapi/v1/order","method":"POST","kind":"Latency","latencyMs":{{milliseconds}}}""", Encoding.UTF8, "application/json");
                using var added = await direct.PostAsync(faults, rule);
                added.EnsureSuccessStatusCode();
                return new AsyncAction(async () =>
                {
                    using var cleared = await direct.DeleteAsync(faults);
                    cleared.EnsureSuccessStatusCode();
                });
            }

            foreach (var kind in kinds.Where(k => k.ExchangeDelayMs == 0))
            {
                foreach (var target in Targets)
                {
                    await ClosedAsync(clients[target], r => kind.Build(target, r), Connections, TimeSpan.FromSeconds(2)); // warm: JIT, every connection, caches
                }
            }

            if (Environment.GetEnvironmentVariable("HOP_QUICK") == "1")
            {
                // Mean time inside the gateway per request (hosting's request duration) and in its upstream call (HttpClient's), from its own meters.
                async Task<double[]> inside()
                {
                    var lines = await runtimeLines("http_server_request_duration_seconds_", "http_client_request_duration_seconds_");
                    double sum(string prefix) => lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
                    return [sum("http_server_request_duration_seconds_sum"), sum("http_server_request_duration_seconds_count"),
                        sum("http_client_request_duration_seconds_sum"), sum("http_client_request_duration_seconds_count")];
                }

                // Tuning run: the gateway alone, closed loop, and its memory — seconds, not minutes, per experiment.
                var cpuBefore = CpuSeconds(gatewayProcess.Id);
                var allocatedBefore = await allocated("gateway");
                var quick = await ClosedAsync(gateway, n => kinds[0].Build("gateway", n), 16, TimeSpan.FromSeconds(seconds));
                var cpuPerRequest = (CpuSeconds(gatewayProcess.Id) - cpuBefore) * 1e6 / quick.Ok;
                var allocatedPerRequest = (await allocated("gateway") - allocatedBefore) / quick.Ok;
                var rate = int.TryParse(Environment.GetEnvironmentVariable("HOP_QUICK_RATE"), CultureInfo.InvariantCulture, out var r) ? r : 1000;
                var insideBefore = await inside();
                var switchesBefore = ContextSwitches(gatewayProcess.Id);
                var openCpuBefore = CpuSeconds(gatewayProcess.Id);
                var open = await OpenLoopAsync(gateway, n => kinds[0].Build("gateway", n), rate, TimeSpan.FromSeconds(seconds));
                var openCpu = CpuSeconds(gatewayProcess.Id) - openCpuBefore;
                var switchesAfter = ContextSwitches(gatewayProcess.Id);
                var insideAfter = await inside();
                async Task<double[]> yarpUpstream() => [.. (await yarp.GetStringAsync(new Uri("_upstream", UriKind.Relative))).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
                var yarpBefore = await yarpUpstream();
                var yarpSwitchesBefore = ContextSwitches(yarpProcess.Id);
                var floorCpuBefore = CpuSeconds(yarpProcess.Id);
                var floor = await OpenLoopAsync(yarp, n => kinds[0].Build("yarp", n), rate, TimeSpan.FromSeconds(seconds));
                var floorCpu = CpuSeconds(yarpProcess.Id) - floorCpuBefore;
                var yarpSwitchesAfter = ContextSwitches(yarpProcess.Id);
                var yarpAfter = await yarpUpstream();
                var requests = (double)rate * seconds;
                string switches(int pid, Dictionary<int, (long V, long I)> before, Dictionary<int, (long V, long I)> after, double count)
                {
                    // Per thread: a thread that exited took its count with it (the sums over live threads went negative when
                    // pool workers retired), one that started counts from zero.
                    var (v, i) = (0L, 0L);
                    foreach (var (tid, now) in after)
                    {
                        var then = before.GetValueOrDefault(tid);
                        (v, i) = (v + now.V - then.V, i + now.I - then.I);
                    }

                    var total = string.Create(CultureInfo.InvariantCulture, $"{(double)v / count:F1}+{(double)i / count:F1}");
                    if (Environment.GetEnvironmentVariable("HOP_SWITCHES_BY_THREAD") != "1")
                    {
                        return total;
                    }

                    // Which threads switch: grouped by the thread's name (the runtime names its pools', sockets' and timers' threads).
                    var byName = after
                        .Select(t => (Name: ThreadName(pid, t.Key), V: t.Value.V - before.GetValueOrDefault(t.Key).V, I: t.Value.I - before.GetValueOrDefault(t.Key).I))
                        .GroupBy(t => t.Name)
                        .Select(g => (g.Key, Threads: g.Count(), V: g.Sum(t => t.V), I: g.Sum(t => t.I)))
                        .Where(g => g.V + g.I > 0)
                        .OrderByDescending(g => g.V + g.I)
                        .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}×{g.Threads} {(double)g.V / count:F2}+{(double)g.I / count:F2}"));
                    return $"{total} [{string.Join(", ", byName)}]";
                }

                // Orders through the gateway at OrderRate, with its mean time inside and in its upstream call over the run.
                var sent = (double)OrderRate * seconds;
                async Task<string> gatewayOrders(int kind)
                {
                    var before = await inside();
                    var (cpuBefore, switchesBefore) = (CpuSeconds(gatewayProcess.Id), ContextSwitches(gatewayProcess.Id));
                    var result = await OpenLoopAsync(gateway, n => kinds[kind].Build("gateway", n), OrderRate, TimeSpan.FromSeconds(seconds));
                    var (cpuAfter, switchesAfter) = (CpuSeconds(gatewayProcess.Id), ContextSwitches(gatewayProcess.Id));
                    var after = await inside();

                    // An order's own CPU and thread hand-offs (including what runs after its answer): far steadier than its latency here.
                    return $"p50 {result.P50:F2} p90 {result.P90:F2} p99 {result.P99:F2} max {result.Max:F0} ms ({result.Failed} failed), inside {mean(before, after, 0):F3} ms, upstream call {mean(before, after, 2):F3} ms, "
                        + $"CPU {(cpuAfter - cpuBefore) * 1e6 / sent:F0} µs/order, context switches per order {switches(gatewayProcess.Id, switchesBefore, switchesAfter, sent)}";
                }

                var orders = await gatewayOrders(2);
                string delayedOrders;
                OpenLoopResult delayedFloor;
                await using (await exchangeDelay(OrderExchangeDelayMs))
                {
                    delayedOrders = await gatewayOrders(3);
                    delayedFloor = await OpenLoopAsync(yarp, n => kinds[3].Build("yarp", n), OrderRate, TimeSpan.FromSeconds(seconds));
                }

                static double mean(double[] before, double[] after, int i) => (after[i] - before[i]) * 1000 / (after[i + 1] - before[i + 1]);
                var (server, upstream) = (mean(insideBefore, insideAfter, 0), mean(insideBefore, insideAfter, 2));
                return [$"ready {readyAfter.TotalSeconds:F2} s, full speed {ramp.FullSpeedSeconds:F2} s (steady {ramp.SteadyPerSecond:N0}/s, slowest second after {ramp.SlowestAfter * 100:F0} %); idle {idleRss.Rss:F0} MB; "
                    + $"closed {quick.Summary}, gateway CPU {cpuPerRequest:F0} µs/request, allocated {allocatedPerRequest / 1024:F1} KB/request; open {rate}/s p50 {open.P50:F2} p90 {open.P90:F2} p99 {open.P99:F2} ms (bare YARP p50 {floor.P50:F2} p90 {floor.P90:F2}); "
                    + $"inside the gateway (means at {rate}/s) {server:F3} ms, its upstream call {upstream:F3} ms (bare YARP's inside {mean(yarpBefore, yarpAfter, 0):F3} ms, upstream call {mean(yarpBefore, yarpAfter, 2):F3} ms); "
                    + $"context switches per request (voluntary+involuntary) {switches(gatewayProcess.Id, switchesBefore, switchesAfter, requests)}, bare YARP's {switches(yarpProcess.Id, yarpSwitchesBefore, yarpSwitchesAfter, requests)}; "
                    // At a low rate a request's CPU is paid with cold caches, and what runs after the answer (the audit writer) shows here, not in the latency.
                    + $"CPU per request at {rate}/s {openCpu * 1e6 / requests:F0} µs (bare YARP's {floorCpu * 1e6 / requests:F0} µs); "
                    + $"orders {OrderRate}/s {orders}; "
                    + $"orders with the exchange +{OrderExchangeDelayMs} ms {delayedOrders} (bare YARP p50 {delayedFloor.P50:F2} p90 {delayedFloor.P90:F2} p99 {delayedFloor.P99:F2}); RSS {Rss(gatewayProcess.Id).Rss:F0} MB"];
            }

            if (Environment.GetEnvironmentVariable("HOP_STALLS") is { Length: > 0 } stalls)
            {
                // Stall hunt: one kind at one rate through the gateway and bare YARP, every request's time written out.
                var kind = int.Parse(Environment.GetEnvironmentVariable("HOP_STALLS_KIND") ?? "2", CultureInfo.InvariantCulture);
                var rate = int.Parse(Environment.GetEnvironmentVariable("HOP_STALLS_RATE") ?? "200", CultureInfo.InvariantCulture);
                if (int.TryParse(Environment.GetEnvironmentVariable("HOP_STALLS_FILL"), CultureInfo.InvariantCulture, out var fill) && fill > 0)
                {
                    // HOP_STALLS_FILL=SECONDS: a closed-loop flood through the gateway first (exchange-time reads, or the kind
                    // HOP_STALLS_FILL_KIND names), so that the passes meet an audit trail and ownership ledger as large as a full
                    // run's long-lived gateway has by its order rows.
                    var fillKind = int.Parse(Environment.GetEnvironmentVariable("HOP_STALLS_FILL_KIND") ?? "0", CultureInfo.InvariantCulture);
                    var filled = await ClosedAsync(gateway, n => kinds[fillKind].Build("gateway", n), 16, TimeSpan.FromSeconds(fill));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled: {filled.Ok:N0} requests ({filled.Failed:N0} failed) in {fill} s"));
                }

                await using var delay = await exchangeDelay(kinds[kind].ExchangeDelayMs);
                var stallLines = new List<string>();
                foreach (var (target, run) in new[] { "gateway", "yarp", "gateway", "yarp" }.Select((t, i) => (t, i)))
                {
                    var result = await OpenLoopAsync(clients[target], n => kinds[kind].Build(target, n), rate, TimeSpan.FromSeconds(seconds), $"{stalls}-{target}-{run}.csv");
                    stallLines.Add($"{target}: {result}");
                }

                return stallLines;
            }

            if (Environment.GetEnvironmentVariable("HOP_TRACE") is { Length: > 0 } trace)
            {
                // Profiling run: a CPU sample of the gateway under closed-loop load (needs dotnet-trace or perf), nothing else.
                // HOP_TRACE_RATE: open loop at that rate instead (where a request's cost is paid with cold caches and idle threads).
                var traced = kinds[Environment.GetEnvironmentVariable("HOP_TRACE_KIND") switch { "balance" => 1, "order" => 2, _ => 0 }];
                // HOP_TRACE_TARGET=yarp: the same, of bare YARP (the framework's floor), to compare against.
                var tracedTarget = Environment.GetEnvironmentVariable("HOP_TRACE_TARGET") == "yarp" ? "yarp" : "gateway";
                var load = int.TryParse(Environment.GetEnvironmentVariable("HOP_TRACE_RATE"), CultureInfo.InvariantCulture, out var traceRate)
                    // (OpenLoopAsync paces its sends on the calling thread until the last has left: started on its own so that the trace overlaps it.)
                    ? Task.Run(() => OpenLoopAsync(clients[tracedTarget], n => traced.Build(tracedTarget, n), traceRate, TimeSpan.FromSeconds(14))).ContinueWith(t => t.Result.ToString(), TaskScheduler.Default)
                    : ClosedAsync(clients[tracedTarget], n => traced.Build(tracedTarget, n), 16, TimeSpan.FromSeconds(14)).ContinueWith(t => t.Result.Summary, TaskScheduler.Default);
                await Task.Delay(2500);
                var pid = proxies[tracedTarget].ToString(CultureInfo.InvariantCulture);
                using var collect = Environment.GetEnvironmentVariable("HOP_TRACE_CPU") switch
                {
                    // perf: native and managed frames (the gateway writes /tmp/perf-PID.map with DOTNET_PerfMapEnabled=1); read with `perf report -i`.
                    // HOP_TRACE_FREQ: samples per second (999 unless set; open loop at a low rate needs more to see a request's steps).
                    "perf" => Spawn("perf", "perf", ["record", "-F", Environment.GetEnvironmentVariable("HOP_TRACE_FREQ") ?? "999", "-g", "-o", trace, "-p", pid, "--", "sleep", "10"], []),
                    // perf-all: every process on the machine (the simulator's, the load generator's and the kernel's share too).
                    // On this VM perf's clock sampling misses most of a lightly loaded process's short runs: use it closed loop.
                    "perf-all" => Spawn("perf", "perf", ["record", "-F", "999", "-g", "-a", "-o", trace, "--", "sleep", "10"], []),
                    // strace: every system call of every thread (`-f -p` attaches to all of them) for 10 s, counted; on this VM a system call is dear.
                    "strace" => Spawn("strace", "timeout", ["-s", "INT", "10", "strace", "-c", "-f", "-o", trace, "-p", pid], []),
                    // strace-log: every system call with its thread, time and duration, for 2 s (a request's sequence, read by hand).
                    "strace-log" => Spawn("strace", "timeout", ["-s", "INT", "2", "strace", "-f", "-tt", "-T", "-o", trace, "-p", pid], []),
                    // perf-stat: the process's page faults, context switches, migrations and CPU time over 10 s, per thread (divide by the requests).
                    "perf-stat" => Spawn("perf", "perf", ["stat", "--per-thread", "-e", "task-clock,page-faults,context-switches,cpu-migrations", "-o", trace, "-p", pid, "--", "sleep", "10"], []),
                    "perf-trace" => Spawn("perf", "timeout", ["-s", "INT", "10", "perf", "trace", "-s", "-o", trace, "-p", pid], []),
                    // alloc: the runtime's allocation samples (one every ≈ 100 KB, with type and stack) of a JIT build, for TraceEvent.
                    "alloc" => Spawn("dotnet-trace", "dotnet-trace", ["collect", "--profile", "gc-verbose", "-p", pid, "--duration", "00:00:00:10", "-o", trace], []),
                    "1" => Spawn("dotnet-trace", "dotnet-trace", ["collect-linux", "--profile", "cpu-sampling", "-p", pid, "--duration", "00:00:00:10", "-o", trace], []),
                    _ => Spawn("dotnet-trace", "dotnet-trace", ["collect", "--profile", "dotnet-sampled-thread-time", "-p", pid, "--duration", "00:00:00:10", "-o", trace], []),
                };
                await collect.WaitForExitAsync();
                return [$"trace written to {trace}; load: {await load}"];
            }

            var lines = new List<string>
            {
                $"Gateway ready (first answer) {readyAfter.TotalSeconds:F2} s after its process started; full speed under load (8 closed-loop clients, "
                + $"the first two seconds in a row, sliding by 250 ms, ≥ 80 % of the steady rate) at {ramp.FullSpeedSeconds:F2} s; steady {ramp.SteadyPerSecond:N0} req/s; "
                + $"slowest second after it {ramp.SlowestAfter * 100:F0} % of the steady rate.",
                "",
                "### Open loop (latency from each request's intended start, ms; median over rounds, worst round's p90 in brackets)",
                "",
                "| request | rate/s | target | p50 | p90 (worst round) | p99 | max | ok/s | failed | p50 vs nginx | p99 − nginx p99 | CPU µs/request |",
                "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            };
            // HOP_KINDS=2,3: only those request kinds' open-loop runs (by their index above), then stop: a full run's sequence
            // of targets, minutes not half an hour, for chasing what only that sequence shows.
            var onlyKinds = Environment.GetEnvironmentVariable("HOP_KINDS")?.Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToHashSet();

            // The gateway's synced audit commits by duration (its own histogram, cumulative per upper bound): an order's answer
            // waits for one, so a disk that stalls shows here as well as in the orders' tail.
            async Task<Dictionary<double, double>> syncBuckets() => (await runtimeLines("tradefinder_gateway_audit_sync_duration_seconds_bucket"))
                .Select(l => (Le: SyncBound().Match(l).Groups[1].Value, Count: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
                .GroupBy(b => b.Le == "+Inf" ? double.PositiveInfinity : double.Parse(b.Le, CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.Sum(b => b.Count));
            var syncs = new List<string>();
            foreach (var kind in kinds.Where((_, i) => onlyKinds?.Contains(i) ?? true))
            {
                await using var delay = await exchangeDelay(kind.ExchangeDelayMs);
                foreach (var rate in kind.Name.StartsWith("GET /fapi/v1/time", StringComparison.Ordinal) ? rates : rates.Where(r => r <= 200))
                {
                    var perTarget = Targets.ToDictionary(t => t, _ => new List<OpenLoopResult>());

                    // The proxy's own CPU over its rounds (nginx's workers included; for direct, the exchange's): what a request
                    // costs at this rate, cold caches and wake-ups included, far steadier here than its latency.
                    var cpuPerTarget = Targets.ToDictionary(t => t, _ => 0.0);
                    var synced = new Dictionary<double, double>();
                    var isOrder = kind.Name.Contains("order", StringComparison.Ordinal);
                    for (var round = 0; round < rounds; round++)
                    {
                        foreach (var target in Targets.Skip(round % Targets.Length).Concat(Targets.Take(round % Targets.Length)))
                        {
                            // HOP_TIMELINES=DIR: every run's requests written out (as in stalls mode), named with the monotonic clock at its start
                            // (perf record -k monotonic shares it), to find where a full run's tail falls.
                            var timeline = Environment.GetEnvironmentVariable("HOP_TIMELINES") is { Length: > 0 } timelines
                                ? Path.Combine(timelines, string.Create(CultureInfo.InvariantCulture, $"{Array.IndexOf(kinds, kind)}-{rate}-{target}-{round}-{Stopwatch.GetTimestamp()}.csv"))
                                : null;
                            // Scraped around the gateway's order runs only: reads wait for no sync, and a scrape is work for it.
                            var countSyncs = isOrder && target == "gateway";
                            var syncsBefore = countSyncs ? await syncBuckets() : [];
                            var cpuBefore = CpuSeconds(proxies[target]);
                            perTarget[target].Add(await OpenLoopAsync(clients[target], n => kind.Build(target, n), rate, TimeSpan.FromSeconds(seconds), timeline));
                            cpuPerTarget[target] += CpuSeconds(proxies[target]) - cpuBefore;
                            foreach (var (bound, count) in countSyncs ? await syncBuckets() : [])
                            {
                                synced[bound] = synced.GetValueOrDefault(bound) + count - syncsBefore.GetValueOrDefault(bound);
                            }

                            if (timeline is not null)
                            {
                                // The gateway's runtime counters after each run (collections and their pauses, pool threads, lock waits),
                                // and this load generator's own collections' pause so far.
                                await File.AppendAllLinesAsync(Path.Combine(Path.GetDirectoryName(timeline)!, "runtime.txt"),
                                    [$"# after {Path.GetFileName(timeline)}", .. await runtimeLines("dotnet_gc_pause", "dotnet_gc_collections", "dotnet_thread_pool", "dotnet_monitor_lock"),
                                    string.Create(CultureInfo.InvariantCulture, $"load generator: GC paused {GC.GetTotalPauseDuration().TotalMilliseconds:F1} ms in {GC.CollectionCount(2)} gen2, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(0)} gen0 collections")]);
                            }
                        }
                    }

                    var nginxRounds = perTarget["nginx"];
                    foreach (var target in Targets)
                    {
                        var r = perTarget[target];
                        var (p50, p90, p99, max) = (Median(r.Select(x => x.P50)), Median(r.Select(x => x.P90)), Median(r.Select(x => x.P99)), r.Max(x => x.Max));
                        lines.Add($"| {kind.Name} | {rate} | {target} | {p50:F2} | {p90:F2} ({r.Max(x => x.P90):F2}) | {p99:F2} | {max:F1} | {Median(r.Select(x => x.OkPerSecond)):N0} | {r.Sum(x => x.Failed)} | "
                            + $"{p50 / Median(nginxRounds.Select(x => x.P50)):F2}x | {p99 - Median(nginxRounds.Select(x => x.P99)):+0.00;-0.00} | "
                            + $"{cpuPerTarget[target] * 1e6 / Math.Max(1, r.Sum(x => x.OkPerSecond) * seconds):F0} |");
                    }

                    if (synced.GetValueOrDefault(double.PositiveInfinity) is var all and > 0)
                    {
                        // The slowest: the first bound under which every commit fell.
                        var slowest = synced.Where(b => b.Value >= all).Min(b => b.Key);
                        syncs.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{kind.Name} at {rate}/s: {all:N0} synced commits, {all - synced.GetValueOrDefault(0.05):N0} over 50 ms, the slowest {(double.IsInfinity(slowest) ? "over 2.5 s" : $"≤ {slowest * 1000:0.#} ms")}"));
                    }
                }
            }

            if (syncs.Count > 0)
            {
                lines.AddRange(["", "The gateway's audit commits that waited for the disk, over its order runs (`tradefinder_gateway_audit_sync_duration_seconds`): "
                    + string.Join("; ", syncs) + "."]);
            }

            if (onlyKinds is not null)
            {
                return lines;
            }

            lines.AddRange(["", "### Closed loop (16 clients, each sends as soon as its last answer arrived)", "", "| request | target | req/s | p50 ms | p99 ms | failed | CPU µs/request | allocated KB/request |", "|---|---|---:|---:|---:|---:|---:|---:|"]);
            foreach (var kind in kinds.Take(2))
            {
                foreach (var target in Targets)
                {
                    var cpuBefore = CpuSeconds(proxies[target]);
                    var allocatedBefore = await allocated(target);
                    var result = await ClosedAsync(clients[target], n => kind.Build(target, n), 16, TimeSpan.FromSeconds(seconds));
                    var cpu = (CpuSeconds(proxies[target]) - cpuBefore) * 1e6 / Math.Max(1, result.Ok);
                    var bytes = (await allocated(target) - allocatedBefore) / Math.Max(1, result.Ok);
                    lines.Add($"| {kind.Name} | {target} | {result.PerSecond:N0} | {result.P50Ms:F2} | {result.P99Ms:F2} | {result.Failed} | {cpu:F0} | {(double.IsNaN(bytes) ? "—" : (bytes / 1024).ToString("F1", CultureInfo.InvariantCulture))} |");
                }
            }

            var (floodPerSecond, afterFlood, settled) = await floodAsync();
            lines.AddRange([
                "", "### Gateway memory (resident set)", "",
                "| when | RSS MB | peak MB |", "|---|---:|---:|",
                $"| idle, just after start | {idleRss.Rss:F0} | {idleRss.Peak:F0} |",
                $"| after a {floodSeconds} s flood ({floodPerSecond:N0} req/s, 32 clients) | {afterFlood.Rss:F0} | {afterFlood.Peak:F0} |",
                $"| 10 s later | {settled.Rss:F0} | {settled.Peak:F0} |",
            ]);
            return lines;
        }
        finally
        {
            foreach (var process in processes)
            {
                Stop(process);
            }

            TempDirectory.Delete(work);
        }
    }

    private static int _failureShown;

    [System.Text.RegularExpressions.GeneratedRegex("le=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex SyncBound();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint microseconds);

    private sealed class AsyncAction(Func<Task> action) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await action().ConfigureAwait(false);
    }

    private sealed record OpenLoopResult(double P50, double P90, double P99, double Max, double OkPerSecond, long Failed);

    /// <summary>
    /// Sends at <paramref name="rate"/> per second for <paramref name="duration"/>, each request at its scheduled time
    /// whether or not earlier ones answered; latency counts from the scheduled time.
    /// </summary>
    private static async Task<OpenLoopResult> OpenLoopAsync(HttpClient client, Func<long, HttpRequestMessage> build, int rate, TimeSpan duration, string? timeline = null)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var latencies = new double[count];
        var late = new double[count];
        var ok = new bool[count];
        var tasks = new Task[count];
        var start = Stopwatch.GetTimestamp();
        var ticksPer = Stopwatch.Frequency / (double)rate;
        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var intended = start + (long)(i * ticksPer);
                while (Stopwatch.GetTimestamp() is var now && now < intended)
                {
                    // Sleep to within ~80 µs of the due time (usleep: no 1 ms rounding), then spin: precise without
                    // burning a core the measured processes need.
                    var micros = (intended - now) * 1_000_000 / Stopwatch.Frequency;
                    if (micros > 120)
                    {
                        _ = usleep((uint)(micros - 80));
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }

                var index = i;
                tasks[index] = SendAsync(index, intended);
            }
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        scheduler.Start();
        scheduler.Join();
        await Task.WhenAll(tasks);
        if (timeline is not null)
        {
            // Each request's intended start (ms from the first), latency, whether it succeeded, and how late this load generator
            // sent it: where slow requests fall in time, and whether a stall was ours (the last column) or the target's.
            await File.WriteAllLinesAsync(timeline, latencies.Select((latency, i) => string.Create(CultureInfo.InvariantCulture, $"{i * 1000.0 / rate:F3},{latency:F3},{(ok[i] ? 1 : 0)},{late[i]:F3}")));
        }

        var answered = latencies.Where((_, i) => ok[i]).Order().ToArray();
        return new OpenLoopResult(LoadRunner.Percentile(answered, 0.50), LoadRunner.Percentile(answered, 0.90), LoadRunner.Percentile(answered, 0.99), answered.LastOrDefault(), answered.Length / duration.TotalSeconds, count - answered.Length);

        async Task SendAsync(int index, long intended)
        {
            try
            {
                using var request = build(index);
                late[index] = (Stopwatch.GetTimestamp() - intended) * 1000.0 / Stopwatch.Frequency;
                using var response = await client.SendAsync(request).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                ok[index] = response.StatusCode == HttpStatusCode.OK;
                if (!ok[index] && Interlocked.Exchange(ref _failureShown, 1) == 0)
                {
                    Console.Error.WriteLine($"first failure on {client.BaseAddress}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                ok[index] = false;
            }

            latencies[index] = (Stopwatch.GetTimestamp() - intended) * 1000.0 / Stopwatch.Frequency;
        }
    }

    private static Task<LoadResult> ClosedAsync(HttpClient client, Func<long, HttpRequestMessage> build, int concurrency, TimeSpan duration) =>
        LoadRunner.RunAsync("closed", concurrency, duration, async (worker, n) =>
        {
            using var request = build((worker * 1_000_000L) + n);
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK && Interlocked.Exchange(ref _failureShown, 1) == 0)
            {
                Console.Error.WriteLine($"first failure on {client.BaseAddress}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
            }

            return response.StatusCode == HttpStatusCode.OK;
        });

    /// <summary>From the gateway's process start: answers per 250 ms window under 8 closed-loop clients for 20 s.</summary>
    private static async Task<(double FullSpeedSeconds, double SteadyPerSecond, double SlowestAfter)> RampAsync(HttpClient gateway, long processStarted)
    {
        const double Window = 0.25;
        var windows = new int[200];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await gateway.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK && (int)(Stopwatch.GetElapsedTime(processStarted).TotalSeconds / Window) is var w && w < windows.Length)
                    {
                        Interlocked.Increment(ref windows[w]);
                    }
                }
                catch (HttpRequestException)
                {
                }
            }
        }));
        var last = (int)(Stopwatch.GetElapsedTime(processStarted).TotalSeconds / Window) - 1;
        if (Environment.GetEnvironmentVariable("HOP_RAMP_WINDOWS") == "1")
        {
            Console.Error.WriteLine("ramp windows (answers per 250 ms from process start): " + string.Join(' ', windows.Take(last + 1)));
        }

        // Full speed: the first two whole seconds in a row (four windows each, sliding by one) at ≥ 80 % of the steady rate,
        // the median window of the run's second half. Judged window by window, one 250 ms dip on this shared 2-core machine
        // moved the figure by up to the whole ramp; judged as "every second after it", so did one slow second anywhere in the
        // 20 s (a Native AOT gateway, at full rate 0.5 s after its start, was put at 11–16 s in four of eight runs). Dips
        // after the ramp are reported on their own: the slowest second after it, against the steady rate.
        var steady = Median(Enumerable.Range(last / 2, last - last / 2 + 1).Select(w => (double)windows[w]));
        double Second(int w) => windows[w] + windows[w + 1] + windows[w + 2] + windows[w + 3];
        var full = 0;
        while (full + 7 <= last && !(Second(full) >= 0.8 * 4 * steady && Second(full + 4) >= 0.8 * 4 * steady))
        {
            full++;
        }

        var slowest = Enumerable.Range(full, Math.Max(1, last - full - 2)).Min(w => Second(w)) / (4 * steady);
        return (full * Window, steady / Window, slowest);
    }

    /// <summary>
    /// CPU time (user + system) of a process and its children (nginx's workers), from /proc: per request, the cost of a
    /// hop that closed-loop throughput on a shared 2-core machine only shows through noise. For direct: the simulator's.
    /// </summary>
    private static double CpuSeconds(int pid)
    {
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                // After "(comm)": state ppid ... utime (14th field) stime (15th), in clock ticks of 1/100 s.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (id == pid || int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return ticks / 100.0;
    }

    private static HttpRequestMessage Signed(string target, HttpMethod method, string path, string query, byte[] key)
    {
        if (target == "gateway")
        {
            return new HttpRequestMessage(method, path + (query.Length > 0 ? "?" + query : "")); // the bot holds no key
        }

        var stamped = (query.Length > 0 ? query + "&" : "") + "timestamp=" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stamped)));
        var request = new HttpRequestMessage(method, $"{path}?{stamped}&signature={signature}");
        request.Headers.Add("X-MBX-APIKEY", ApiKey);
        return request;
    }

    /// <summary>How <c>HOP_CLUSTER</c> has the gateway run, for the results' description; null for a single node.</summary>
    public static string? Replica => Environment.GetEnvironmentVariable("HOP_CLUSTER") switch
    {
        null or "" or "0" => null,
        "1" => "the gateway as a replica: budgets in a private Redis, registries and ownership ledger in a private PostgreSQL (durable commits), audit in its SQLite",
        "audit" => "the gateway as a replica: budgets in a private Redis, registries, ownership ledger and audit trail in a private PostgreSQL (durable commits)",
        var setting => throw new ArgumentException($"HOP_CLUSTER={setting}: 1 or audit"),
    };

    /// <summary>
    /// What a replica shares (docs/OPERATIONS.md, "Run several replicas"), on this machine: budgets in a private Redis,
    /// registries and the ownership ledger in a private PostgreSQL whose commits wait for the disk as a production
    /// server's do; with <c>HOP_CLUSTER=audit</c> the audit trail in that PostgreSQL too, instead of the replica's SQLite.
    /// One replica: what sharing costs each request, not how replicas divide the load.
    /// </summary>
    private sealed class ReplicaStores(RedisServer redis, PostgresServer postgres, bool audit) : IAsyncDisposable
    {
        public static async Task<ReplicaStores?> StartAsync()
        {
            if (Replica is null)
            {
                return null;
            }

            var redis = await RedisServer.StartAsync();
            try
            {
                return new ReplicaStores(redis, await PostgresServer.StartPrivateAsync(durable: true), Environment.GetEnvironmentVariable("HOP_CLUSTER") == "audit");
            }
            catch
            {
                await redis.DisposeAsync();
                throw;
            }
        }

        public void AddTo(Dictionary<string, string> environment)
        {
            environment["Gateway__Cluster__Redis"] = redis.ConnectionString;
            environment["Gateway__Cluster__Postgres"] = postgres.ConnectionString;
            if (audit)
            {
                environment["Gateway__Audit__Store"] = "postgres";
                environment["Gateway__Audit__ConnectionString"] = postgres.ConnectionString;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await redis.DisposeAsync();
            await postgres.DisposeAsync();
        }
    }

    // Experiments: HOP_YARP_ENV="DOTNET_X=y;..." adds or overrides bare YARP's variables (as HOP_GATEWAY_ENV the gateway's).
    private static Dictionary<string, string> YarpEnvironment() =>
        WithOverrides(Environment.GetEnvironmentVariable("HOP_QUICK") == "1" ? new Dictionary<string, string> { ["BARE_PROXY_UPSTREAM_TIMING"] = "1" } : [], "HOP_YARP_ENV");

    private static Dictionary<string, string> GatewayEnvironment(string data, (int Bots, int Admin, int Ops) ports, Uri paper, string secret)
    {
        // Experiments: HOP_GATEWAY_ENV="DOTNET_gcServer=0;Gateway__X=y" adds or overrides the gateway's variables.
        return WithOverrides(BaseEnvironment(data, ports, paper, secret), "HOP_GATEWAY_ENV");
    }

    /// <summary>The <c>NAME=value;...</c> pairs of <paramref name="variable"/> (if set) added to <paramref name="environment"/>, replacing its values.</summary>
    private static Dictionary<string, string> WithOverrides(Dictionary<string, string> environment, string variable)
    {
        foreach (var pair in (Environment.GetEnvironmentVariable(variable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            environment[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        return environment;
    }

    private static Dictionary<string, string> BaseEnvironment(string data, (int Bots, int Admin, int Ops) ports, Uri paper, string secret) => new()
    {
        ["TRADING_MODE"] = "testnet",
        ["TRADEFINDER_DATA"] = data,
        ["TRADEFINDER_UPSTREAM_OVERRIDE"] = paper.ToString(),
        ["BINANCE_TESTNET_API_KEY"] = ApiKey,
        ["BINANCE_TESTNET_SECRET"] = secret,
        ["Gateway__BotsEndpoint"] = "127.0.0.1:" + ports.Bots,
        ["Gateway__AdminEndpoint"] = "127.0.0.1:" + ports.Admin,
        ["Gateway__OpsEndpoint"] = "127.0.0.1:" + ports.Ops,
        ["Gateway__Budgets__PerBotWeightPerMinute"] = "100000000",
        ["Gateway__Budgets__PerBotOrdersPer10Seconds"] = "10000000",
        ["Gateway__Anomalies__PositionCheckSeconds"] = "0",

        // Direct and nginx runs trade on the same account with the same key: to the gateway that is the key used
        // elsewhere, which halts every bot. Its user-data stream stays off here; the hop is what is measured.
        ["Gateway__Streams__WatchAccounts"] = "false",
        ["Serilog__MinimumLevel__Default"] = "Warning",
        ["DOTNET_EnableDiagnostics"] = Environment.GetEnvironmentVariable("HOP_TRACE") is { Length: > 0 } ? "1" : "0",
        ["DOTNET_PerfMapEnabled"] = Environment.GetEnvironmentVariable("HOP_TRACE_CPU") is "perf" or "perf-all" ? "1" : "0",
    };

    private static Process StartNginx(string work, int port, int upstreamPort, string certs)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : throw new InvalidOperationException("nginx is missing: infra/scripts/perf-hop.sh installs it (apt-get install nginx)");
        var prefix = Path.Combine(work, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var configuration = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(configuration, $$"""
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              upstream paper { server 127.0.0.1:{{upstreamPort}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{port}} ssl;
                ssl_protocols TLSv1.3;
                ssl_certificate {{certs}}/server.crt;
                ssl_certificate_key {{certs}}/server.key;
                ssl_client_certificate {{certs}}/ca.crt;
                ssl_verify_client on;
                ssl_session_cache shared:tls:10m;
                keepalive_requests 1000000;
                keepalive_timeout 600s;
                location / {
                  proxy_pass http://paper;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """);
        return Spawn("nginx", nginx, ["-p", prefix, "-c", configuration, "-g", "daemon off;"], []);
    }

    private static HttpClient Mtls(Uri address, X509Certificate2 ca, X509Certificate2 bot)
    {
        var client = TestHttp.CreateMutualTlsClient(address, ca, bot, SslProtocols.Tls13, Connections, IdleConnectionsKept);
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    private static async Task ReadyAsync(HttpClient client, string path)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"{client.BaseAddress} never answered {path}");
    }

    private static string Binary(string project) =>
        Path.Combine(SourceTree.Root, "gateway", project, "bin", "Release", "net10.0", project + ".dll");

    /// <summary>
    /// The gateway as built, or with HOP_GATEWAY_DLL as published: a ReadyToRun assembly run by <c>dotnet</c>, or a
    /// native executable run as it is.
    /// </summary>
    private static (string File, string[] Arguments) GatewayCommand() =>
        Environment.GetEnvironmentVariable("HOP_GATEWAY_DLL") is { Length: > 0 } published ? published.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", [published]) : (published, [])
        : ("dotnet", [Binary("TradeFinder.Gateway")]);

    private static Process Spawn(string name, string file, IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + name);
        void Relay(string? line, bool shown)
        {
            if (shown && line is { Length: > 0 })
            {
                Console.Error.WriteLine($"[{name}] {line}");
            }
        }

        // Logs go to stdout: a process that fails to start says why there, in plain text or at Error or Fatal (all of them with HOP_SHOW_LOGS=1).
        var everything = Environment.GetEnvironmentVariable("HOP_SHOW_LOGS") == "1";
        process.OutputDataReceived += (_, e) => Relay(e.Data, everything || e.Data is not ['{', ..] || e.Data.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) || e.Data.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal));
        process.ErrorDataReceived += (_, e) => Relay(e.Data, shown: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                term?.WaitForExit();
                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Context switches of each of the process's live threads so far (voluntary: a thread went to sleep to wait, so a
    /// hand-off between threads costs one; involuntary: preempted or yielding while spinning). Exact counts, unlike the CPU
    /// time that /proc samples on timer ticks, which at a few hundred requests per second is too coarse to divide by them.
    /// </summary>
    private static Dictionary<int, (long Voluntary, long Involuntary)> ContextSwitches(int pid)
    {
        var threads = new Dictionary<int, (long, long)>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            var (voluntary, involuntary) = (0L, 0L);
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        voluntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        involuntary = long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                continue; // The thread ended while being read.
            }

            threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (voluntary, involuntary);
        }

        return threads;
    }

    /// <summary>A thread's name (its <c>comm</c>), or "?" once it has ended.</summary>
    private static string ThreadName(int pid, int tid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/task/{tid}/comm").Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>Resident and peak resident memory of a process, MB (from /proc).</summary>
    private static (double Rss, double Peak) Rss(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        double Field(string name) => double.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
