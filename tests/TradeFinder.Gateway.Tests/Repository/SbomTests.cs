using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Repository;

/// <summary>The documented SBOM command works, with the pinned tool, and lists what the gateway really ships.</summary>
public sealed class SbomTests : IDisposable
{
    private readonly string _out = TempDirectory.Create("tf-sbom");

    public void Dispose() => TempDirectory.Delete(_out);

    [Fact]
    public async Task SbomScript_ListsEveryDeployablesPackages_AtTheirLockedVersions()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(SourceTree.Root, "infra", "scripts", "sbom.sh"), _out])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SourceTree.Root,
        };
        using var script = Process.Start(start)!;
        var error = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, await error);

        var versions = XDocument.Load(Path.Combine(SourceTree.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        using var bom = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "TradeFinder.Gateway.cdx.json")));
        var components = bom.RootElement.GetProperty("components").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("version").GetString()!);

        Assert.Equal("CycloneDX", bom.RootElement.GetProperty("bomFormat").GetString());
        Assert.All(new[] { "Yarp.ReverseProxy", "Npgsql", "Polly.Core", "BouncyCastle.Cryptography", "Serilog.AspNetCore" },
            package => Assert.Equal(versions[package], components[package]));
        Assert.True(File.Exists(Path.Combine(_out, "TradeFinder.PaperExchange.cdx.json")));
        Assert.True(File.Exists(Path.Combine(_out, "TradeFinder.Bots.Samples.cdx.json")));
        Assert.DoesNotContain(components.Keys, name => name.Contains("xunit", StringComparison.OrdinalIgnoreCase));
    }
}
