using System.Reflection;
using System.Text.RegularExpressions;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Dashboard;

namespace TradeFinder.Gateway.Tests.Anomalies;

public sealed partial class AnomalyKindsTests
{
    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex KindName();

    /// <summary>Every kind a detector can report: the snake_case string constants of the anomalies folder.</summary>
    private static IReadOnlyList<string> Kinds() =>
        [.. typeof(AnomalyMonitor).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(AnomalyMonitor).Namespace)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => KindName().IsMatch(v))
            .Distinct()];

    [Fact]
    public void EveryAnomalyKind_HasAOneLineExplanationOnTheLivePage_AndADescriptionInTheRunbook()
    {
        var kinds = Kinds();
        Assert.True(kinds.Count >= 15, string.Join(", ", kinds));
        var operations = File.ReadAllText(Path.Combine(TradeFinder.Testing.SourceTree.Root, "docs", "OPERATIONS.md"));
        Assert.All(kinds, kind =>
        {
            Assert.True(LivePage.Explanations.ContainsKey(kind), $"no explanation for {kind} on the live page");
            Assert.Contains($"`{kind}`", operations, StringComparison.Ordinal);
        });
    }
}
