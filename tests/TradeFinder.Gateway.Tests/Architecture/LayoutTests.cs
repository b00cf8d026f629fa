using System.Text.RegularExpressions;
using TradeFinder.Testing;


namespace TradeFinder.Gateway.Tests.Architecture;

/// <summary>The code, its tests and docs/ARCHITECTURE.md tell the same story.</summary>
public sealed partial class LayoutTests
{
    private static readonly string Root = SourceTree.Root;
    private static readonly string Gateway = Path.Combine(Root, "gateway", "TradeFinder.Gateway");

    [Fact]
    public void EveryCapabilityFolder_HasATestFolder()
    {
        var tested = new[] { "TradeFinder.Gateway.Tests", "TradeFinder.Gateway.FunctionalTests" }
            .SelectMany(p => Directory.GetDirectories(Path.Combine(Root, "tests", p)).Select(Path.GetFileName))
            .ToHashSet(StringComparer.Ordinal);
        var untested = CapabilityFolders().Where(f => !tested.Contains(f)).ToList();

        Assert.True(untested.Count == 0, "No test folder for: " + string.Join(", ", untested));
    }

    [Fact]
    public void PipelineSteps_AreNumberedAlike_InThePipeline_TheirMiddleware_AndTheArchitectureDoc()
    {
        var pipeline = File.ReadAllText(Path.Combine(Gateway, "GatewayPipeline.cs"));
        var doc = File.ReadAllLines(Path.Combine(Root, "docs", "ARCHITECTURE.md"));
        var steps = StepPattern().Matches(pipeline).Select(m => (Middleware: m.Groups[1].Value, Number: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var problems = new List<string>();
        foreach (var (middleware, number) in steps)
        {
            var file = Directory.GetFiles(Gateway, middleware + ".cs", SearchOption.AllDirectories).Single();
            if (!Regex.IsMatch(File.ReadAllText(file), $@"Step {number}\b"))
            {
                problems.Add($"{middleware} is step {number} in GatewayPipeline.cs but its summary does not say 'Step {number}'");
            }

            if (!doc.Any(line => Regex.IsMatch(line, $@"^\s*│\s*{number} ") && line.Contains(middleware, StringComparison.Ordinal)))
            {
                problems.Add($"docs/ARCHITECTURE.md has no row '{number} …' naming {middleware}");
            }
        }

        Assert.True(steps.Count >= 15, "steps found: " + steps.Count);
        Assert.Equal(steps.Select(s => s.Number).Order(), steps.Select(s => s.Number));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void ArchitectureDoc_MapsEveryFolder()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "ARCHITECTURE.md"));
        var missing = CapabilityFolders().Where(f => !doc.Contains($"`{f}/`", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "Folders missing from the layer map: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> CapabilityFolders() =>
        Directory.GetDirectories(Gateway).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "Properties"))!;

    [GeneratedRegex(@"UseMiddleware<(\w+)>\(\)\)?;?\s*//\s*(\d+)\.")]
    private static partial Regex StepPattern();
}
