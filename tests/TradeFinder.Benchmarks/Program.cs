using System.Globalization;
using System.Runtime.InteropServices;
using TradeFinder.Benchmarks;

// Load benchmarks. Usage: dotnet run -c Release --project tests/TradeFinder.Benchmarks -- paper [seconds]
// Results are printed and written to docs/benchmarks/<name>.md (run from the repo root).
var suite = args.Length > 0 ? args[0] : "paper";
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var duration = TimeSpan.FromSeconds(seconds);

IReadOnlyList<LoadResult> results = suite switch
{
    "paper" => await PaperExchangeBenchmark.RunAsync(duration),
    _ => throw new ArgumentException($"unknown suite '{suite}' (paper)"),
};

var lines = new List<string>
{
    $"| scenario | concurrency | req/s | p50 ms | p99 ms | failed |",
    "|---|---:|---:|---:|---:|---:|",
};
lines.AddRange(results.Select(r => r.ToRow()));
var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, {seconds} s per scenario, load generator in the same process";
var table = string.Join('\n', lines);
Console.WriteLine(machine);
Console.WriteLine(table);

var path = Path.Combine("docs", "benchmarks", suite + "-results.md");
if (Directory.Exists(Path.GetDirectoryName(path)))
{
    await File.WriteAllTextAsync(path, $"# {suite} benchmark results\n\nMeasured {DateTime.UtcNow:yyyy-MM-dd} on {machine}.\n\n{table}\n");
    Console.WriteLine("written to " + path);
}
