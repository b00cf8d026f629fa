using TradeFinder.Testing;
using YamlDotNet.RepresentationModel;

namespace TradeFinder.Gateway.Tests.Deployment;

/// <summary>The Kubernetes manifests carry the same hardening as the compose stack.</summary>
public sealed class KubernetesTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Documents = Yaml.Documents(Path.Combine(SourceTree.Root, "infra", "k8s", "gateway.yaml"));

    private static YamlMappingNode Kind(string kind) => Documents.Single(d => d.Text("kind") == kind);

    private static YamlNode Pod => Kind("Deployment").Get("spec", "template", "spec")!;

    private static YamlNode Container => ((YamlSequenceNode)Pod.Get("containers")!).Children.Single();

    [Fact]
    public void Pod_RunsAsNonRoot_ReadOnly_WithoutCapabilities()
    {
        Assert.Equal("true", Pod.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("1654", Pod.Text("securityContext", "runAsUser"));
        Assert.Equal("false", Pod.Text("automountServiceAccountToken"));
        Assert.Equal("true", Container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Container.Items("securityContext", "capabilities", "drop"));
    }

    [Fact]
    public void Probes_UseTheOpsPortsHealthAndReadiness()
    {
        Assert.Equal("/healthz", Container.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", Container.Text("readinessProbe", "httpGet", "path"));
    }

    [Fact]
    public void Secrets_AreMountedFiles_NeverEnvironmentValues()
    {
        var env = ((YamlSequenceNode)Container.Get("env")!).Children;
        var secretVolumes = ((YamlSequenceNode)Pod.Get("volumes")!).Children.Where(v => v.Get("secret") is not null).ToList();

        Assert.DoesNotContain(env, e => e.Get("valueFrom", "secretKeyRef") is not null);
        Assert.Equal(2, secretVolumes.Count);
        Assert.All(secretVolumes, v => Assert.Equal("0400", v.Text("secret", "defaultMode")));
        Assert.Contains(env, e => e.Text("name") == "Gateway__Keys__Provider" && e.Text("value") == "files");
    }

    [Fact]
    public void NetworkPolicy_AdmitsOnlyBotsAndPrometheus()
    {
        var policy = Kind("NetworkPolicy");
        var ingress = ((YamlSequenceNode)policy.Get("spec", "ingress")!).Children;

        Assert.Equal(["Ingress", "Egress"], policy.Items("spec", "policyTypes"));
        Assert.Equal(2, ingress.Count);
        Assert.DoesNotContain(ingress, rule => rule.Get("from") is null);
    }

    [Fact]
    public void Image_IsPinnedToAVersion()
    {
        var image = Container.Text("image")!;

        Assert.Matches(@":\d+\.\d+\.\d+$|@sha256:[0-9a-f]{64}$", image);
    }
}
