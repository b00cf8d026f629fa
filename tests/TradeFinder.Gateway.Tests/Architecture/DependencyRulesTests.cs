using TradeFinder.Gateway.Hosting;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Architecture;

/// <summary>
/// The layering rule of docs/ARCHITECTURE.md, checked on the compiled gateway and paper exchange: their folders form
/// no cycle, nothing below the composition root (the root namespace or entry point, and Hosting/) uses it, and the
/// bottom folder — the gateway's Context/, what every step shares; the paper exchange's Protocol/, the exchange's
/// rejections and answer shapes — uses no other folder.
/// </summary>
public sealed class DependencyRulesTests
{
    private const string Gateway = "TradeFinder.Gateway";
    private const string PaperExchange = "TradeFinder.PaperExchange";
    private static readonly HashSet<string> CompositionRoot = [FolderGraph.Root, "Hosting"];
    private static readonly Dictionary<string, FolderGraph> Graphs = new(StringComparer.Ordinal)
    {
        [Gateway] = FolderGraph.Read(typeof(GatewayHost).Assembly.Location, Gateway),
        [PaperExchange] = FolderGraph.Read(typeof(PaperExchangeServer).Assembly.Location, PaperExchange),
    };

    private static FolderGraph Graph => Graphs[Gateway];

    [Fact]
    public void Graphs_AreReadFromTheAssemblies()
    {
        // A reader that found nothing would pass every rule below; these edges exist by design.
        Assert.Contains("Keys", Graph.Targets("Signing"));
        Assert.Contains("Context", Graph.Targets("Routing"));
        Assert.Contains("Hosting", Graph.Targets(FolderGraph.Root));
        Assert.True(Graph.Folders.Count() >= 20, "folders: " + string.Join(", ", Graph.Folders));

        var paper = Graphs[PaperExchange];
        Assert.Contains("Market", paper.Targets("Trading"));
        Assert.Contains("Security", paper.Targets("Hosting"));
        Assert.Contains("Hosting", paper.Targets(FolderGraph.Root));
        Assert.True(paper.Folders.Count() >= 10, "folders: " + string.Join(", ", paper.Folders));
    }

    [Theory]
    [InlineData(Gateway)]
    [InlineData(PaperExchange)]
    public void Folders_FormNoCycle(string project)
    {
        var graph = Graphs[project];
        var cycle = graph.LargestCycle(CompositionRoot);
        Assert.True(cycle.Count == 0, "These folders depend on each other in a cycle: " + string.Join(", ", cycle) + Environment.NewLine
            + string.Join(Environment.NewLine, cycle.SelectMany(from => graph.Targets(from).Where(cycle.Contains).Select(to => $"  {from} → {to}: {graph.Describe(from, to)}"))));
    }

    [Theory]
    [InlineData(Gateway)]
    [InlineData(PaperExchange)]
    public void CompositionRoot_IsUsedByNothingBelowIt(string project)
    {
        var graph = Graphs[project];
        var offending = graph.Folders.Where(f => !CompositionRoot.Contains(f))
            .SelectMany(from => graph.Targets(from).Where(CompositionRoot.Contains).Select(to => $"{from} → {to}: {graph.Describe(from, to)}"))
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

    [Theory]
    [InlineData(Gateway, "Context")]
    [InlineData(PaperExchange, "Protocol")]
    public void BottomFolder_IsALeaf(string project, string folder)
    {
        var graph = Graphs[project];
        var used = graph.Targets(folder).Select(to => $"{folder} → {to}: {graph.Describe(folder, to)}").ToList();
        Assert.True(used.Count == 0, $"{folder}/ must use no other folder of {project}:" + Environment.NewLine + string.Join(Environment.NewLine, used));
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
