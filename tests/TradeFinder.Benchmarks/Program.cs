using System.Globalization;
using System.Runtime.InteropServices;
using TradeFinder.Benchmarks;

// Load benchmarks. Usage: dotnet run -c Release --project tests/TradeFinder.Benchmarks -- paper [seconds]
// Results are printed and written to docs/benchmarks/<name>.md (run from the repo root).
var suite = args.Length > 0 ? args[0] : "paper";
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var duration = TimeSpan.FromSeconds(seconds);

if (suite == "bare-proxy")
{
    // Not a suite: the hop comparison's framework floor, started by the hop suite as its own process.
    await BareProxy.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], new Uri(args[3]));
    return;
}

var lines = new List<string>();
string machine;
switch (suite)
{
    case "paper":
        lines.Add("| scenario | concurrency | req/s | p50 ms | p99 ms | failed |");
        lines.Add("|---|---:|---:|---:|---:|---:|");
        lines.AddRange((await PaperExchangeBenchmark.RunAsync(duration)).Select(r => r.ToRow()));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per scenario, load generator in the same process";
        break;
    case "audit":
        lines.AddRange(await AuditBenchmark.RunAsync(events: seconds * 5_000));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; throw-away PostgreSQL cluster (fsync off) unless TRADEFINDER_TEST_PG is set";
        break;
    case "hot-path":
        lines.AddRange(HotPathBenchmark.Run());
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; BenchmarkDotNet, 3 warm-up and 10 measured iterations per step";
        break;
    case "gateway":
        lines.AddRange(await GatewayBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per load scenario, gateway, paper exchange and load generator in one process";
        break;
    case "refusals":
        lines.AddRange(await GatewayBenchmark.RefusalsAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per load scenario, gateway and load generator in one process";
        break;
    case "keys":
        lines.AddRange(await KeysBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load scenarios {seconds} s each, gateway, simulator and load generator in one process";
        break;
    case "budgets":
        lines.AddRange(await BudgetsBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load scenarios {seconds} s each, gateway, simulator and load generator in one process";
        break;
    case "cluster":
        lines.AddRange(await ClusterBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {seconds} s per run, closed loop unless paced, decisions and a private redis-server (7, loopback) on this machine";
        break;
    case "ownership":
        lines.AddRange(await OwnershipBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load scenarios {seconds} s each, gateway, simulator and load generator in one process";
        break;
    case "cached":
        lines.AddRange(await GatewayBenchmark.CachedAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per load scenario, gateway, paper exchange and pipelined load generator in one process";
        break;
    case "hop":
        // hop [seconds per run] [rounds] [flood seconds] [rates, comma-separated]
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var flood = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 60;
        var rates = args.Length > 4 ? args[4].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [20, 200, 1000];
        lines.AddRange(await HopBenchmark.RunAsync(seconds, rounds, flood, rates));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; paper exchange, gateway, nginx and load generator as separate processes on this machine, "
            + $"{seconds} s per open-loop run, {rounds} rounds, rates {string.Join("/", rates)} per second"
            + (HopBenchmark.Replica is { } replicaRun ? "; " + replicaRun : "");
        break;
    case "detectors":
        lines.AddRange(await DetectorsBenchmark.RunAsync());
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; in process, one thread";
        break;
    case "streams":
        lines.AddRange(await StreamsBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; latency scenarios {seconds} s each, gateway, simulator and WebSocket clients in one process";
        break;
    case "cache-decay":
        // cache-decay [passes per gap]: not seconds, how many times each kind of memory is touched after each gap.
        lines.AddRange(CacheDecayBenchmark.Run(args.Length > 1 ? seconds : 100));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; one thread, nothing else running";
        break;
    default:
        throw new ArgumentException($"unknown suite '{suite}' (paper, audit, hot-path, gateway, refusals, keys, budgets, cluster, ownership, cached, streams, detectors, hop, cache-decay)");
}

var table = string.Join('\n', lines);
Console.WriteLine(machine);
Console.WriteLine(table);

// Tuning and profiling runs of the hop comparison, and a filtered hot-path run, are not results.
var partial = suite == "hop" && (Environment.GetEnvironmentVariable("HOP_QUICK") == "1" || Environment.GetEnvironmentVariable("HOP_RAMP_ONLY") == "1"
    || Environment.GetEnvironmentVariable("HOP_FLOOD_ONLY") is { Length: > 0 } || Environment.GetEnvironmentVariable("HOP_TRACE") is { Length: > 0 } || Environment.GetEnvironmentVariable("HOP_STALLS") is { Length: > 0 } || Environment.GetEnvironmentVariable("HOP_KINDS") is { Length: > 0 })
    || (suite == "hot-path" && Environment.GetEnvironmentVariable("HOT_PATH_FILTER") is { Length: > 0 });
// A replica's hop (HOP_CLUSTER) has its own results file and leaves the single node's figures in PERFORMANCE.md alone.
var replica = suite == "hop" && HopBenchmark.Replica is not null;
var path = Path.Combine("docs", "benchmarks", (replica ? "hop-replica" : suite) + "-results.md");
if (Directory.Exists(Path.GetDirectoryName(path)) && !partial)
{
    await File.WriteAllTextAsync(path, $"# {suite} benchmark results\n\nMeasured {DateTime.UtcNow:yyyy-MM-dd} on {machine}.\n\n{table}\n");
    Console.WriteLine("written to " + path);
}

// The hop comparison's latest figures also go into docs/PERFORMANCE.md, between its markers.
var performance = Path.Combine("docs", "PERFORMANCE.md");
if (suite == "hop" && !partial && !replica && File.Exists(performance))
{
    const string Start = "<!-- hop-results:start -->", End = "<!-- hop-results:end -->";
    var text = await File.ReadAllTextAsync(performance);
    var (from, to) = (text.IndexOf(Start, StringComparison.Ordinal), text.IndexOf(End, StringComparison.Ordinal));
    if (from >= 0 && to > from)
    {
        await File.WriteAllTextAsync(performance, text[..(from + Start.Length)] + $"\nMeasured {DateTime.UtcNow:yyyy-MM-dd} on {machine}.{Build()}\n\n{table}\n" + text[to..]);
        Console.WriteLine("written to " + performance);
    }
}

// How the measured gateway was built: the hop script publishes ReadyToRun, or Native AOT with HOP_AOT=1.
static string Build() => Environment.GetEnvironmentVariable("HOP_GATEWAY_DLL") is { } gateway
    ? gateway.EndsWith(".dll", StringComparison.Ordinal) ? " Gateway published ReadyToRun." : " Gateway published with Native AOT."
    : "";
