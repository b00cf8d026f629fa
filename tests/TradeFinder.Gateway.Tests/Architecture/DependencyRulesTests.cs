using TradeFinder.Gateway.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Architecture;

/// <summary>
/// The layering rule of docs/ARCHITECTURE.md, checked on the compiled gateway: capability folders form no
/// cycle, nothing below the composition root (the root namespace and Hosting/) uses it, and Context/ — what
/// every step shares — uses no other folder.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly HashSet<string> CompositionRoot = [FolderGraph.Root, "Hosting"];
    private static readonly FolderGraph Graph = FolderGraph.Read(typeof(GatewayHost).Assembly.Location, "TradeFinder.Gateway");

    [Fact]
    public void Graph_IsReadFromTheAssembly()
    {
        // A reader that found nothing would pass every rule below; these edges exist by design.
        Assert.Contains("Keys", Graph.Targets("Signing"));
        Assert.Contains("Context", Graph.Targets("Routing"));
        Assert.Contains("Hosting", Graph.Targets(FolderGraph.Root));
        Assert.True(Graph.Folders.Count() >= 20, "folders: " + string.Join(", ", Graph.Folders));
    }

    [Fact]
    public void CapabilityFolders_FormNoCycle()
    {
        var cycle = Graph.LargestCycle(CompositionRoot);
        Assert.True(cycle.Count == 0, "These folders depend on each other in a cycle: " + string.Join(", ", cycle) + Environment.NewLine
            + string.Join(Environment.NewLine, cycle.SelectMany(from => Graph.Targets(from).Where(cycle.Contains).Select(to => $"  {from} → {to}: {Graph.Describe(from, to)}"))));
    }

    [Fact]
    public void CompositionRoot_IsUsedByNothingBelowIt()
    {
        var offending = Graph.Folders.Where(f => !CompositionRoot.Contains(f))
            .SelectMany(from => Graph.Targets(from).Where(CompositionRoot.Contains).Select(to => $"{from} → {to}: {Graph.Describe(from, to)}"))
            .ToList();
        Assert.True(offending.Count == 0, "Below the composition root, yet using it:" + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void CompositionRoot_IsNotNamedInTheSourceBelowIt()
    {
        // Constants are copied into the caller's IL, so the assembly cannot see them: read the source too.
        var gateway = Path.Combine(SourceTree.Root, "gateway", "TradeFinder.Gateway");
        var rootFiles = Directory.GetFiles(gateway, "*.cs").Concat(Directory.GetFiles(Path.Combine(gateway, "Hosting"), "*.cs"));
        var rootTypes = rootFiles.SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f),
            @"^(?:internal|public)[\w ]*\b(?:class|record|struct|interface|enum)\s+(\w+)", System.Text.RegularExpressions.RegexOptions.Multiline))
            .Select(m => m.Groups[1].Value).Where(n => n != "Program").ToHashSet(StringComparer.Ordinal);
        var offending = new List<string>();
        foreach (var folder in Directory.GetDirectories(gateway).Where(d => Path.GetFileName(d) is not ("Hosting" or "bin" or "obj")))
        {
            foreach (var file in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                offending.AddRange(rootTypes.Where(t => System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{t}\b"))
                    .Select(t => $"{Path.GetRelativePath(gateway, file)} names {t}"));
                if (text.Contains("using TradeFinder.Gateway.Hosting;", StringComparison.Ordinal))
                {
                    offending.Add($"{Path.GetRelativePath(gateway, file)} imports TradeFinder.Gateway.Hosting");
                }
            }
        }

        Assert.True(rootTypes.Count >= 5, "composition root types found: " + string.Join(", ", rootTypes));
        Assert.True(offending.Count == 0, string.Join(Environment.NewLine, offending));
    }

    [Fact]
    public void Context_IsALeaf()
    {
        var used = Graph.Targets("Context").Select(to => $"Context → {to}: {Graph.Describe("Context", to)}").ToList();
        Assert.True(used.Count == 0, "Context/ must use no other gateway folder:" + Environment.NewLine + string.Join(Environment.NewLine, used));
    }

    [Theory]
    [InlineData("Diagnostics")]
    [InlineData("Clock")]
    [InlineData("Logging")]
    [InlineData("Modes")]
    [InlineData("Identity")]
    public void Foundations_UseOnlyTheContext(string folder)
    {
        var used = Graph.Targets(folder).Where(to => to != "Context").Select(to => $"{folder} → {to}: {Graph.Describe(folder, to)}").ToList();
        Assert.True(used.Count == 0, $"{folder}/ is a foundation every capability may use; it may use only Context/:" + Environment.NewLine + string.Join(Environment.NewLine, used));
    }
}
