using TradeFinder.PaperExchange.Hosting;

namespace TradeFinder.Gateway.Tests.Architecture;

/// <summary>
/// The gateway's layering rule, held by the paper exchange too: its folders form no cycle and nothing below its
/// composition root (the entry point and Hosting/) uses it. Protocol/ — the exchange's rejections and answer
/// shapes, which every endpoint and the trading engine share — sits at the bottom.
/// </summary>
public sealed class PaperExchangeDependencyRulesTests
{
    private static readonly HashSet<string> CompositionRoot = [FolderGraph.Root, "Hosting"];
    private static readonly FolderGraph Graph = FolderGraph.Read(typeof(PaperExchangeServer).Assembly.Location, "TradeFinder.PaperExchange");

    [Fact]
    public void Graph_IsReadFromTheAssembly()
    {
        // A reader that found nothing would pass every rule below; these edges exist by design.
        Assert.Contains("Market", Graph.Targets("Trading"));
        Assert.Contains("Security", Graph.Targets("Hosting"));
        Assert.Contains("Hosting", Graph.Targets(FolderGraph.Root));
        Assert.True(Graph.Folders.Count() >= 10, "folders: " + string.Join(", ", Graph.Folders));
    }

    [Fact]
    public void Folders_FormNoCycle()
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
    public void Protocol_IsALeaf()
    {
        var used = Graph.Targets("Protocol").Select(to => $"Protocol → {to}: {Graph.Describe("Protocol", to)}").ToList();
        Assert.True(used.Count == 0, "Protocol/ must use no other paper exchange folder:" + Environment.NewLine + string.Join(Environment.NewLine, used));
    }
}
