using System.Diagnostics;
using TradeFinder.Testing;
using YamlDotNet.RepresentationModel;

namespace TradeFinder.Gateway.Tests.Deployment;

/// <summary>The compose stack is valid for docker-compose and hardened the way docs/OPERATIONS.md says.</summary>
public sealed class ComposeTests
{
    private static readonly string Infra = Path.Combine(SourceTree.Root, "infra");
    private static readonly YamlMappingNode Compose = Yaml.Documents(Path.Combine(Infra, "compose.yaml")).Single();
    private static readonly (string Name, YamlNode Node)[] Services = [.. Compose.Entries("services")];

    [Fact]
    public void EveryService_IsReadOnly_WithoutCapabilities_AndCannotGainPrivileges()
    {
        Assert.True(Services.Length >= 7, "services: " + string.Join(", ", Services.Select(s => s.Name)));
        Assert.All(Services, s =>
        {
            Assert.Equal("true", s.Node.Text("read_only"));
            Assert.Equal(["ALL"], s.Node.Items("cap_drop"));
            Assert.Contains("no-new-privileges:true", s.Node.Items("security_opt"));
        });
    }

    [Fact]
    public void OnlyTheBotsPort_IsPublished()
    {
        var published = Services.SelectMany(s => s.Node.Items("ports").Select(p => $"{s.Name} {p}")).ToList();

        Assert.Equal(["gateway 8443:8443"], published);
        Assert.Equal("true", Compose.Text("networks", "internal", "internal"));
    }

    [Theory]
    [InlineData("gateway")]
    [InlineData("postgres")]
    [InlineData("prometheus")]
    [InlineData("grafana")]
    public void LongRunningServices_HaveHealthChecks_AndTheirDependentsWaitForThem(string name)
    {
        var service = Services.Single(s => s.Name == name).Node;

        Assert.NotNull(service.Get("healthcheck", "test"));
        Assert.All(Services.Where(s => s.Node.Get("depends_on", name) is not null),
            dependent => Assert.Equal("service_healthy", dependent.Node.Text("depends_on", name, "condition")));
    }

    [Fact]
    public void NoSecretValue_IsWrittenInTheStack()
    {
        var settings = Services.SelectMany(s => s.Node.Entries("environment")).Select(e => e.Name);
        var values = Services.SelectMany(s => s.Node.Get("environment") is YamlMappingNode environment ? environment.Children : Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
            .Select(c => (Name: ((YamlScalarNode)c.Key).Value!, Value: (c.Value as YamlScalarNode)?.Value ?? ""));

        // Secrets arrive as files: a setting named like a secret must point at a file, never hold the value.
        Assert.All(values.Where(v => v.Name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || v.Name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
            || v.Name.EndsWith("API_KEY", StringComparison.OrdinalIgnoreCase)), v => Assert.EndsWith("_FILE", v.Name.Replace("__FILE", "_FILE", StringComparison.Ordinal)));
        Assert.DoesNotContain(values, v => v.Value.Contains("Password=", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(settings);
    }

    [Fact]
    public void DefaultStack_RunsInPaperMode_WithTheAuditInPostgres()
    {
        var gateway = Services.Single(s => s.Name == "gateway").Node;

        Assert.Equal("paper", gateway.Text("environment", "TRADING_MODE"));
        Assert.Equal("postgres", gateway.Text("environment", "Gateway__Audit__Store"));
        Assert.Equal("gateway", gateway.Text("environment", "Gateway__Tls__ServerNames__0"));
    }

    [Theory]
    [InlineData("compose.yaml")]
    [InlineData("compose.yaml", "compose.ops.yaml")]
    [InlineData("compose.yaml", "compose.exchange.yaml")]
    public async Task DockerCompose_AcceptsTheStack(params string[] files)
    {
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = SourceTree.Root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var file in files)
        {
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add(Path.Combine("infra", file));
        }

        start.ArgumentList.Add("config");
        start.ArgumentList.Add("-q");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose (Debian package docker-compose) is needed; the test command installs it");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
    }
}
