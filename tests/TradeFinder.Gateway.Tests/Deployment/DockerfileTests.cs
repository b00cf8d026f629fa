using System.Text.RegularExpressions;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Deployment;

/// <summary>The images are built the way the threat model asks: no secret in a layer, non-root, chiseled, pinned, health-checked.</summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Dockerfiles => new() { "Dockerfile", "PaperExchange.Dockerfile", "Bot.Dockerfile" };

    private static string[] Lines(string name) => File.ReadAllLines(Path.Combine(SourceTree.Root, "infra", "docker", name))
        .Where(l => !l.TrimStart().StartsWith('#')).ToArray();

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Image_IsMultiStage_AndRunsAsTheImagesNonRootUser(string name)
    {
        var lines = Lines(name);
        var stages = lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var final = lines.SkipWhile((_, i) => i <= Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToArray();

        Assert.True(stages >= 2, "build and runtime stages");
        Assert.Contains(final, l => l.Trim() == "USER $APP_UID");
        Assert.DoesNotContain(final, l => l.StartsWith("RUN ", StringComparison.Ordinal)); // chiseled: no shell to run
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BaseImages_ArePinned_AndTheRuntimeIsChiseled(string name)
    {
        var images = Lines(name).Select(l => ImageArgument().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Equal(["RUNTIME_IMAGE", "SDK_IMAGE"], images.Keys.Order());
        Assert.All(images.Values, image => Assert.Matches(@"^mcr\.microsoft\.com/dotnet/[a-z-]+:\d+\.\d+\.\d+(-[a-z0-9-]+)?(@sha256:[0-9a-f]{64})?$", image));
        Assert.Contains("chiseled", images["RUNTIME_IMAGE"]);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Image_CarriesNoSecret_AndNoDiagnosticsPort(string name)
    {
        var lines = Lines(name);

        Assert.DoesNotContain(lines, l => SecretSetting().IsMatch(l));
        Assert.Contains(lines, l => l.Contains("DOTNET_EnableDiagnostics=0", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(".env", StringComparison.Ordinal) && l.StartsWith("COPY", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Dockerfile", "[\"/app/TradeFinder.Gateway\", \"health\"]")]
    [InlineData("PaperExchange.Dockerfile", "[\"dotnet\", \"TradeFinder.PaperExchange.dll\", \"health\"]")]
    public void Services_AreHealthCheckedByTheirOwnExecutable(string name, string command)
    {
        var check = Assert.Single(Lines(name), l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));

        Assert.EndsWith("CMD " + command, check); // exec form: there is no shell
    }

    [Fact]
    public void GatewayImage_IsCompiledAheadOfTime_FromItsOwnLockedRestore()
    {
        var lines = Lines("Dockerfile");
        var restore = Assert.Single(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var publish = Assert.Single(lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));

        Assert.Contains("-p:PublishAot=true --locked-mode", restore, StringComparison.Ordinal);
        Assert.Contains("-p:PublishAot=true --no-restore", publish, StringComparison.Ordinal);
        // Every project in the gateway's build brings the lock file that restore reads (Directory.Build.props picks it).
        foreach (var project in new[] { "shared/TradeFinder.Contracts", "gateway/TradeFinder.PaperExchange", "gateway/TradeFinder.Gateway" })
        {
            Assert.Contains(lines, l => l == $"COPY {project}/*.csproj {project}/packages.aot.lock.json {project}/");
        }

        Assert.Contains(lines, l => l == "ENTRYPOINT [\"/app/TradeFinder.Gateway\"]");
        Assert.Contains(lines, l => l.StartsWith("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:", StringComparison.Ordinal)); // no framework needed
    }

    [Fact]
    public void Gateway_KeepsItsStateInAVolume()
    {
        var lines = Lines("Dockerfile");

        Assert.Contains(lines, l => l.Trim() == "VOLUME [\"/data\"]");
        Assert.Contains(lines, l => l.Contains("TRADEFINDER_DATA=/data", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("**/.env")]
    [InlineData("**/.tradefinder/")]
    [InlineData("**/secrets/")]
    [InlineData("**/*.key")]
    [InlineData("**/*.pem")]
    [InlineData(".git/")]
    public void BuildContext_LeavesSecretsAndStateOut(string pattern) =>
        Assert.Contains(pattern, File.ReadAllLines(Path.Combine(SourceTree.Root, ".dockerignore")));

    [GeneratedRegex(@"^ARG (SDK_IMAGE|RUNTIME_IMAGE)=(\S+)$")]
    private static partial Regex ImageArgument();

    [GeneratedRegex(@"(?i)^\s*(ARG|ENV)\b.*\b\w*(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE)\w*\s*=")]
    private static partial Regex SecretSetting();
}
