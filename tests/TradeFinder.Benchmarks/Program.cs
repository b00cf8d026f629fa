using System.Globalization;
using System.Runtime.InteropServices;
using TradeFinder.Benchmarks;

// Load benchmarks. Usage: dotnet run -c Release --project tests/TradeFinder.Benchmarks -- paper [seconds]
// Results are printed and written to docs/benchmarks/<name>.md (run from the repo root).
var suite = args.Length > 0 ? args[0] : "paper";
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var duration = TimeSpan.FromSeconds(seconds);

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
    case "ownership":
        lines.AddRange(await OwnershipBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load scenarios {seconds} s each, gateway, simulator and load generator in one process";
        break;
    case "cached":
        lines.AddRange(await GatewayBenchmark.CachedAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per load scenario, gateway, paper exchange and pipelined load generator in one process";
        break;
    case "detectors":
        lines.AddRange(await DetectorsBenchmark.RunAsync());
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; in process, one thread";
        break;
    case "streams":
        lines.AddRange(await StreamsBenchmark.RunAsync(duration));
        machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; latency scenarios {seconds} s each, gateway, simulator and WebSocket clients in one process";
        break;
    default:
        throw new ArgumentException($"unknown suite '{suite}' (paper, audit, gateway, refusals, keys, budgets, ownership, cached, streams, detectors)");
}

var table = string.Join('\n', lines);
Console.WriteLine(machine);
Console.WriteLine(table);

var path = Path.Combine("docs", "benchmarks", suite + "-results.md");
if (Directory.Exists(Path.GetDirectoryName(path)))
{
    await File.WriteAllTextAsync(path, $"# {suite} benchmark results\n\nMeasured {DateTime.UtcNow:yyyy-MM-dd} on {machine}.\n\n{table}\n");
    Console.WriteLine("written to " + path);
}
