using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TradeFinder.Gateway.Tests.Deployment;

/// <summary>Reads the deployment files as YAML documents, with merge keys (<c>&lt;&lt;: *anchor</c>) applied.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<string> Items(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value!) : [];

    public static IEnumerable<(string Name, YamlNode Node)> Entries(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlMappingNode mapping
            ? mapping.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value))
            : [];
}
